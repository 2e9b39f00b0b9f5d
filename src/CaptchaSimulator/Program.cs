using CaptchaSimulator;

// A stand-in for the Turnstile, hCaptcha and reCAPTCHA siteverify services, for tests and load tests only.
// dotnet run --project src/CaptchaSimulator -- --urls http://127.0.0.1:5090
CaptchaSimulatorHost.Build(args).Run();
