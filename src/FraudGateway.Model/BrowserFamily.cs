namespace FraudGateway.Model;

// Browser families the analyser recognises. The family is used for version staleness, header consistency and
// explanations; it is deliberately NOT a feature slot of its own, so a family the model never saw in training is
// not scored as suspicious for being unfamiliar.
public enum BrowserFamily
{
    None = 0,
    Chrome,
    ChromeIos,
    Safari,
    IosWebView,
    GoogleApp,
    Edge,
    Firefox,
    FirefoxIos,
    SamsungInternet,
    Opera,
    Yandex,
    UcBrowser,
    Vivaldi,
}
