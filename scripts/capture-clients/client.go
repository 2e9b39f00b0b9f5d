// Go's net/http with its defaults: a JSON POST to the capture endpoint (scripts/capture-client-headers.sh,
// scripts/capture-client-headers.sh --tls). CAPTURE_INSECURE=1: the capture's certificate is not verified
// (verification does not change the ClientHello).
package main

import (
	"crypto/tls"
	"net/http"
	"os"
	"strings"
)

func main() {
	if os.Getenv("CAPTURE_INSECURE") == "1" {
		http.DefaultTransport.(*http.Transport).TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	}
	resp, err := http.Post(os.Args[1], "application/json", strings.NewReader(`{"username":"alice","password":"correct-horse-battery"}`))
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
}
