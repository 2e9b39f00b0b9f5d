// Go's net/http with its defaults: a JSON POST to the capture endpoint (scripts/capture-client-headers.sh).
package main

import (
	"net/http"
	"os"
	"strings"
)

func main() {
	resp, err := http.Post(os.Args[1], "application/json", strings.NewReader(`{"username":"alice","password":"correct-horse-battery"}`))
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
}
