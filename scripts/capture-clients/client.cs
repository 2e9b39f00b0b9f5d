// .NET's HttpClient with its defaults: a JSON POST to the capture endpoint (scripts/capture-client-headers.sh,
// scripts/capture-client-headers.sh --tls). CAPTURE_INSECURE=1: the capture's certificate is not verified.
using System.Text;

using var handler = new HttpClientHandler();
if (Environment.GetEnvironmentVariable("CAPTURE_INSECURE") == "1")
{
    handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
}

using var http = new HttpClient(handler);
using var body = new StringContent("""{"username":"alice","password":"correct-horse-battery"}""", Encoding.UTF8, "application/json");
using var response = await http.PostAsync(args[0], body);
