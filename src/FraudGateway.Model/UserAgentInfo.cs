namespace FraudGateway.Model;

public readonly record struct UserAgentInfo(
    BrowserFamily Family,
    int MajorVersion,
    int Staleness,
    bool Mobile,
    int IosMajor,
    int BrowserStructure,
    bool AutomationToken,
    bool Headless,
    bool BotWord,
    bool HasUrl,
    float CharClassEntropy,
    int NonPrintable,
    int Length,
    bool KnownBot)
{
    public bool IsChromium => Family is BrowserFamily.Chrome or BrowserFamily.Edge or BrowserFamily.Opera
        or BrowserFamily.SamsungInternet or BrowserFamily.Yandex or BrowserFamily.Vivaldi;

    public bool IsIos => IosMajor > 0;
}
