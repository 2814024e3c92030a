namespace StarNet.Cli.Progress;

/// <summary>
/// An <see cref="IProgress{T}"/> that runs its handler on the reporting thread, at once (unlike
/// <see cref="Progress{T}"/>, which posts to the thread pool and may run handlers after the work has finished).
/// </summary>
/// <typeparam name="T">The type of the reports.</typeparam>
/// <param name="handler">Called with every report.</param>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    /// <inheritdoc/>
    public void Report(T value) => handler(value);
}
