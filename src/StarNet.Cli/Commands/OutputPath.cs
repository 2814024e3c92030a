namespace StarNet.Cli.Commands;

/// <summary>Prepares the paths the commands write to.</summary>
internal static class OutputPath
{
    /// <summary>Creates the folder that will hold <paramref name="path"/> when it is missing, and returns the path.</summary>
    /// <param name="path">A file to be written.</param>
    /// <returns><paramref name="path"/>.</returns>
    /// <exception cref="IOException">The folder cannot be created (for example a file has its name).</exception>
    public static string Prepare(string path)
    {
        if (Directory.Exists(path))
        {
            throw new IOException($"{path}: is a folder; give a file name");
        }

        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        return path;
    }
}
