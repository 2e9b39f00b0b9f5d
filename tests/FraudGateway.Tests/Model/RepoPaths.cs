namespace FraudGateway.Tests.Model;

// Files of the repository the model tests read: the shipped model, the corpora.
internal static class RepoPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "FraudGateway.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("FraudGateway.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string ShippedModel => Path.Combine(Root, "models", "fraudgateway.zip");

    public static string Corpora => Path.Combine(Root, "data", "corpora");
}
