using SampleApi;

var app = SampleApiHost.Build(args);
app.Run();
