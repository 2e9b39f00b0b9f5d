// Java's java.net.http.HttpClient with its defaults: a JSON POST to the capture endpoint (scripts/capture-client-headers.sh,
// scripts/capture-client-headers.sh --tls). CAPTURE_INSECURE=1: the capture's certificate is not verified (a
// trust-all TrustManager; the ClientHello is the default context's).
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

public class Client {
    public static void main(String[] args) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(args[0]))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"alice\",\"password\":\"correct-horse-battery\"}"))
            .build();
        var client = HttpClient.newHttpClient();
        if ("1".equals(System.getenv("CAPTURE_INSECURE"))) {
            var context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] { new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] chain, String authType) { }
                public void checkServerTrusted(X509Certificate[] chain, String authType) { }
                public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            } }, null);
            client = HttpClient.newBuilder().sslContext(context).build();
        }
        client.send(request, HttpResponse.BodyHandlers.discarding());
    }
}
