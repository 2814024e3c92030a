namespace StarNet.Core.Tests.Data.Support;

/// <summary>Paths of the repository and of the real datasets beside it (<c>../shared/data</c>).</summary>
public static class SharedData
{
    /// <summary>The folder holding StarNet.Core.sln, found upwards from the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary><c>../shared/data</c> relative to the repository root.</summary>
    public static string Folder { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));

    /// <summary>The bundled MNIST sample.</summary>
    public static string Sample { get; } = Path.Combine(RepositoryRoot, "data", "sample", "mnist");

    public static string PathOf(string dataset) => Path.Combine(Folder, dataset);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StarNet.Core.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"StarNet.Core.sln not found above {AppContext.BaseDirectory}.");
    }
}

/// <summary>
/// A fact that needs a real dataset in <c>../shared/data/&lt;dataset&gt;</c>: when that folder is missing
/// the test is reported as Skipped (with the reason), not silently passed.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(string dataset)
    {
        Dataset = dataset;
        string folder = SharedData.PathOf(dataset);
        if (!Directory.Exists(folder))
        {
            Skip = $"real dataset folder {folder} is absent";
        }
    }

    public string Dataset { get; }
}
