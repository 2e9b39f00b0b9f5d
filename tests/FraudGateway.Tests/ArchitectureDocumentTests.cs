using System.Text.RegularExpressions;
using FraudGateway.Tests.Model;

namespace FraudGateway.Tests;

// docs/architecture.md stays true to the code: every folder, file and type it names in `code` marks exists in the
// repository. A name resolves as a path (from the root, from src/FraudGateway, or from any project folder; a missing
// extension means a .cs file or a folder), or as a type declared in src/ or tests/ (with its member, for
// `Type.Member`), or as one of the gateway's folders. Configuration keys, routes, commands and wildcards are not names
// of code and are skipped; the few outside names the document uses are listed below.
public partial class ArchitectureDocumentTests
{
    // Names of the platform and libraries the document mentions, not of this repository.
    private static readonly HashSet<string> Outside = new(StringComparer.Ordinal)
    {
        "TimeProvider", "FakeTimeProvider", "MetricCollector", "InternalsVisibleTo", "AnalysisMode", "TIME", "X-Forwarded-For",
        "FraudGateway.dll", // the build's output, not a file of the repository
    };

    private static readonly string Root = RepoPaths.Root;

    [Fact]
    public void Every_folder_file_and_type_it_names_exists()
    {
        var text = File.ReadAllText(Path.Combine(Root, "docs", "architecture.md"));
        var names = CodeSpan().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
        var declarations = Declarations();

        var missing = names.Where(name => !Resolves(name, declarations)).ToList();

        Assert.True(names.Count > 100, $"only {names.Count} names found: the document's format changed?");
        Assert.True(missing.Count == 0, "docs/architecture.md names what the repository does not have: " + string.Join(", ", missing));
    }

    [Theory]
    [InlineData("State/NoSuchStore")]
    [InlineData("NoSuchType")]
    [InlineData("StoreKeys.NoSuchMember")]
    [InlineData("src/NoSuchProject")]
    public void A_name_that_is_not_in_the_repository_does_not_resolve(string name) =>
        Assert.False(Resolves(name, Declarations()));

    private static bool Resolves(string name, Dictionary<string, List<string>> declarations)
    {
        if (name.Contains(' ', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal) || name.Contains('*', StringComparison.Ordinal)
            || name.StartsWith('/') || name.StartsWith('<') || name.StartsWith('[') || name.Contains('<', StringComparison.Ordinal)
            || !char.IsUpper(name.TrimStart('.')[0]) && !name.Contains('/', StringComparison.Ordinal) && !name.Contains('.', StringComparison.Ordinal))
        {
            return true; // a key, a route, a command, a pattern or a plain word: not a name of code
        }

        if (Outside.Contains(name))
        {
            return true;
        }

        return name.Contains('/', StringComparison.Ordinal) ? PathResolves(name, declarations) : TypeResolves(name, declarations) || MemberResolves(name) || FileNamed(name) || Folder(name);
    }

    // "A/B/", "A/B.cs", "A/B" (B.cs or folder B), "A/Type.Member"; from the root, src/FraudGateway or a project folder.
    private static bool PathResolves(string name, Dictionary<string, List<string>> declarations)
    {
        if (name.Contains("...", StringComparison.Ordinal))
        {
            var tail = name[(name.IndexOf("...", StringComparison.Ordinal) + 4)..];
            return PathResolves(tail, declarations);
        }

        if (PathExists(name))
        {
            return true;
        }

        var relative = name.TrimEnd('/');
        var lastSlash = relative.LastIndexOf('/');
        var last = relative[(lastSlash + 1)..];
        var dot = last.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            // "Folder/Type.Member": the type's file has the member.
            var type = relative[..(lastSlash + 1)] + last[..dot];
            return PathExists(type) && Bases().Select(b => Path.Combine(b, type + ".cs")).Any(f => File.Exists(f) && File.ReadAllText(f).Contains(last[(dot + 1)..], StringComparison.Ordinal));
        }

        // "Folder/Type" where the type lives in another file of that folder.
        return declarations.TryGetValue(last, out var files)
            && files.Any(f => f.Replace('\\', '/').Contains("/" + relative[..(lastSlash + 1)], StringComparison.Ordinal));
    }

    private static bool PathExists(string name)
    {
        var relative = name.TrimEnd('/');
        foreach (var baseFolder in Bases())
        {
            var path = Path.Combine(baseFolder, relative);
            if (name.EndsWith('/') ? Directory.Exists(path) : File.Exists(path) || File.Exists(path + ".cs") || Directory.Exists(path)
                || Directory.GetParent(path) is { Exists: true } parent && parent.GetFiles(Path.GetFileName(path) + ".*").Length > 0)
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<string> Bases() =>
        new[] { Root, Path.Combine(Root, "src"), Path.Combine(Root, "src", "FraudGateway") }
            .Concat(Directory.GetDirectories(Path.Combine(Root, "src")))
            .Concat(Directory.GetDirectories(Path.Combine(Root, "tests")));

    private static bool TypeResolves(string name, Dictionary<string, List<string>> declarations)
    {
        var parts = name.Split('.', 2);
        if (!declarations.TryGetValue(parts[0], out var files))
        {
            return false;
        }

        return parts.Length == 1 || files.Any(f => Regex.IsMatch(File.ReadAllText(f), @"\b" + Regex.Escape(parts[1]) + @"\b"));
    }

    // A method or property declared somewhere in src/ (AddCaptcha, OnStoreFailure).
    private static bool MemberResolves(string name) =>
        Regex.IsMatch(name, "^[A-Z][A-Za-z0-9]*$") && SourceFiles(includeAll: false).Any(f => f.Contains($"{Path.DirectorySeparatorChar}src{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            && Regex.IsMatch(File.ReadAllText(f), @"(?:public|internal|private|protected)\b[^\n;]*\s" + name + @"\s*(?:[<(]|\{|=>)"));

    private static bool FileNamed(string name) =>
        name.Contains('.', StringComparison.Ordinal) && SourceFiles(includeAll: true).Any(f => Path.GetFileName(f) == name);

    private static bool Folder(string name) =>
        Directory.Exists(Path.Combine(Root, "src", "FraudGateway", name)) || Directory.Exists(Path.Combine(Root, "src", name));

    // Every type declared in src/ and tests/, by simple name, with the files that declare it.
    private static Dictionary<string, List<string>> Declarations()
    {
        var declarations = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var file in SourceFiles(includeAll: false))
        {
            foreach (Match match in TypeDeclaration().Matches(File.ReadAllText(file)))
            {
                var type = match.Groups[1].Value;
                if (!declarations.TryGetValue(type, out var files))
                {
                    declarations[type] = files = [];
                }

                files.Add(file);
            }
        }

        return declarations;
    }

    private static IEnumerable<string> SourceFiles(bool includeAll) =>
        new[] { "src", "tests" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(Root, d), includeAll ? "*" : "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Concat(includeAll ? Directory.EnumerateFiles(Root) : []);

    [GeneratedRegex("`([^`\n]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\b(?:class|interface|record|struct|enum)\s+([A-Z][A-Za-z0-9]*)")]
    private static partial Regex TypeDeclaration();
}
