using System.Text.Json;
using StarNet.IO;
using StarNet.Training;

namespace StarNet.Cli.Commands;

/// <summary>
/// Writes <c>--metrics</c>: the training history's JSON (<see cref="TrainingHistory.ToJson"/>: one record per layer
/// and half-step with layer, epoch, step, layer_mse, network_mse, elastic, seconds, ...; the test reconstruction MSE
/// when a test split was given), indented for people, atomically.
/// </summary>
internal static class MetricsFile
{
    /// <summary>Writes the metrics of <paramref name="history"/> to <paramref name="path"/>.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="history">The measurements.</param>
    public static void Write(string path, TrainingHistory history)
    {
        using JsonDocument doc = JsonDocument.Parse(history.ToJson());
        AtomicFile.Write(path, stream =>
        {
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            doc.WriteTo(writer);
        });
    }

    /// <summary>Reads what <see cref="Write"/> wrote.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The history.</returns>
    public static TrainingHistory Read(string path) => TrainingHistory.FromJson(File.ReadAllText(path));
}
