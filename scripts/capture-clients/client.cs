// .NET's HttpClient with its defaults: a JSON POST to the capture endpoint (scripts/capture-client-headers.sh).
using System.Text;

using var http = new HttpClient();
using var body = new StringContent("""{"username":"alice","password":"correct-horse-battery"}""", Encoding.UTF8, "application/json");
using var response = await http.PostAsync(args[0], body);
