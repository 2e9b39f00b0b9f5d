using System.Text;
using FraudGateway.Captcha;
using Microsoft.AspNetCore.Http;

namespace FraudGateway.Tests.Captcha;

public class CaptchaTokenReaderTests
{
    private static DefaultHttpContext Request(string? body = null, string contentType = "application/json", params string[] headerTokens)
    {
        var context = new DefaultHttpContext();
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = contentType;
        }

        if (headerTokens.Length > 0)
        {
            context.Request.Headers["X-Captcha-Token"] = headerTokens;
        }

        return context;
    }

    private static ValueTask<CaptchaTokenRead> Read(DefaultHttpContext context, int maxBody = 1024) =>
        CaptchaTokenReader.ReadAsync(context.Request, "X-Captcha-Token", maxBody, default);

    [Fact]
    public async Task Read_JsonField_FoundAndTheBodyIsRewound()
    {
        const string body = """{"username":"a","cf-turnstile-response":"tok-1","password":"p"}""";
        var context = Request(body);

        var read = await Read(context);

        Assert.Equal(new CaptchaTokenRead("tok-1", null), read);
        Assert.Equal(body, await new StreamReader(context.Request.Body).ReadToEndAsync());
    }

    [Fact]
    public async Task Read_FormField_Found()
    {
        var read = await Read(Request("name=a&h-captcha-response=tok-2&message=hi", "application/x-www-form-urlencoded"));

        Assert.Equal("tok-2", read.Token);
    }

    [Fact]
    public async Task Read_BodyOverTheLimit_IsNotSearchedAndStaysIntact()
    {
        var body = "{\"cf-turnstile-response\":\"tok\",\"pad\":\"" + new string('x', 2000) + "\"}";
        var context = Request(body);

        var read = await Read(context, maxBody: 1024);

        Assert.Equal(new CaptchaTokenRead(null, null), read);
        Assert.Equal(body, await new StreamReader(context.Request.Body).ReadToEndAsync());
    }

    [Theory]
    [InlineData("""{"cf-turnstile-response":""}""", "token-empty")]
    [InlineData("""{"cf-turnstile-response":42}""", "token-empty")]
    [InlineData("""{"cf-turnstile-response":"tökén"}""", "token-not-printable-ascii")]
    public async Task Read_BadBodyToken_Refused(string body, string error)
    {
        Assert.Equal(error, (await Read(Request(body))).Error);
    }

    [Fact]
    public async Task Read_HeaderAndBodyDisagree_Refused()
    {
        var read = await Read(Request("""{"cf-turnstile-response":"a"}""", "application/json", "b"));

        Assert.Equal("token-header-and-body-disagree", read.Error);
    }

    [Fact]
    public async Task Read_HeaderAndBodyAgree_Accepted()
    {
        var read = await Read(Request("""{"cf-turnstile-response":"same"}""", "application/json", "same"));

        Assert.Equal("same", read.Token);
    }

    [Fact]
    public async Task Read_MalformedJson_NoTokenNoError()
    {
        Assert.Equal(new CaptchaTokenRead(null, null), await Read(Request("{not json")));
    }

    [Fact]
    public async Task Read_TooLongHeaderToken_Refused()
    {
        Assert.Equal("token-too-long", (await Read(Request(null, "application/json", new string('a', 2049)))).Error);
    }
}
