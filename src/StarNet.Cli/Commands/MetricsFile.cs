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
    /// <param name="baseline">The linear baseline (<c>--baseline</c>), written as <c>linear_baseline</c> (<c>code_size</c>, <c>train_mse</c>, <c>test_mse</c>, <c>iterations</c>, <c>seconds</c>); null for none.</param>
    public static void Write(string path, TrainingHistory history, LinearBaselineResult<float>? baseline = null)
    {
        using JsonDocument doc = JsonDocument.Parse(history.ToJson());
        AtomicFile.Write(path, stream =>
        {
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            writer.WriteStartObject();
            foreach (JsonProperty property in doc.RootElement.EnumerateObject())
            {
                property.WriteTo(writer);
            }

            if (baseline is not null)
            {
                writer.WriteStartObject("linear_baseline");
                writer.WriteNumber("code_size", baseline.CodeSize);
                writer.WriteNumber("train_mse", baseline.TrainMse);
                if (baseline.TestMse is double test)
                {
                    writer.WriteNumber("test_mse", test);
                }

                writer.WriteNumber("iterations", baseline.Iterations);
                writer.WriteNumber("seconds", baseline.Seconds);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        });
    }

    /// <summary>Reads what <see cref="Write"/> wrote.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The history.</returns>
    public static TrainingHistory Read(string path) => TrainingHistory.FromJson(File.ReadAllText(path));
}
