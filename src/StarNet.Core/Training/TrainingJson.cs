using System.Text;
using System.Text.Json;

namespace StarNet.Training;

/// <summary>
/// JSON forms of <see cref="TrainingHistory"/> and <see cref="TrainingOptions"/> (for model-file metadata and reports),
/// written and read by hand with <see cref="Utf8JsonWriter"/> and <see cref="JsonDocument"/> so that no reflection is
/// involved (the library is trimming- and AOT-compatible).
/// </summary>
internal static class TrainingJson
{
    public static string Write(TrainingHistory history) => WriteWith(w => WriteHistory(w, history));

    public static string Write(TrainingOptions options) => WriteWith(w => WriteOptions(w, options));

    public static TrainingHistory ReadHistory(string json) => ReadWith(json, "training history", ReadHistory);

    public static TrainingOptions ReadOptions(string json) => ReadWith(json, "training options", ReadOptions);

    private static string WriteWith(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static TResult ReadWith<TResult>(string json, string what, Func<JsonElement, TResult> read)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var doc = JsonDocument.Parse(json);
            return read(doc.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or ArgumentException)
        {
            throw new FormatException($"Invalid {what} JSON: {e.Message}", e);
        }
    }

    private static void WriteHistory(Utf8JsonWriter w, TrainingHistory h)
    {
        w.WriteStartObject();
        w.WriteStartArray("steps");
        foreach (TrainingStepMetrics s in h.Steps)
        {
            w.WriteStartObject();
            w.WriteNumber("layer", s.Layer);
            w.WriteNumber("epoch", s.Epoch);
            w.WriteString("step", s.StepName);
            Number(w, "layer_mse", s.LayerMse);
            Number(w, "layer_elastic", s.LayerElastic);
            Number(w, "network_mse", s.NetworkMse);
            Number(w, "elastic", s.NetworkElastic);
            Number(w, "seconds", s.Seconds);
            Number(w, "solve_seconds", s.SolveSeconds);
            Number(w, "flops", s.Flops);
            Number(w, "residual_norm_mean", s.ResidualNormMean);
            Number(w, "residual_norm_max", s.ResidualNormMax);
            w.WriteNumber("solve_datapoints", s.SolveDatapoints);
            Number(w, "condition", s.ConditionEstimate);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("layers");
        foreach (LayerTrainingSummary l in h.Layers)
        {
            w.WriteStartObject();
            w.WriteNumber("layer", l.Layer);
            w.WriteNumber("epochs", l.Epochs);
            w.WriteBoolean("plateau_reached", l.PlateauReached);
            Number(w, "layer_mse", l.LayerMse);
            Number(w, "seconds", l.Seconds);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        Number(w, "total_seconds", h.TotalSeconds);
        w.WriteStartArray("warnings");
        foreach (string warning in h.Warnings)
        {
            w.WriteStringValue(warning);
        }

        w.WriteEndArray();
        if (h.Procedure is { } procedure)
        {
            w.WriteString("procedure", procedure);
        }

        w.WriteStartArray("refinement");
        foreach (RefinementSweep r in h.Refinement)
        {
            w.WriteStartObject();
            w.WriteNumber("sweep", r.Sweep);
            Number(w, "network_mse_before", r.NetworkMseBefore);
            Number(w, "network_mse", r.NetworkMse);
            w.WriteNumber("datapoints_improved", r.DatapointsImproved);
            w.WriteNumber("datapoints_worsened", r.DatapointsWorsened);
            w.WriteStartArray("weights_accepted");
            foreach (bool kept in r.WeightsAccepted)
            {
                w.WriteBooleanValue(kept);
            }

            w.WriteEndArray();
            Number(w, "seconds", r.Seconds);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        Number(w, "final_network_mse", h.FinalNetworkMse);
        if (h.TestReconstructionMse is double mse)
        {
            Number(w, "test_reconstruction_mse", mse);
        }

        if (h.TestReconstructionElastic is double elastic)
        {
            Number(w, "test_reconstruction_elastic", elastic);
        }

        w.WriteEndObject();
    }

    private static TrainingHistory ReadHistory(JsonElement root)
    {
        var steps = new List<TrainingStepMetrics>();
        foreach (JsonElement s in root.GetProperty("steps").EnumerateArray())
        {
            steps.Add(new TrainingStepMetrics(
                s.GetProperty("layer").GetInt32(),
                s.GetProperty("epoch").GetInt32(),
                ParseStep(s.GetProperty("step").GetString()),
                Number(s, "layer_mse"),
                Number(s, "layer_elastic"),
                Number(s, "network_mse"),
                Number(s, "elastic"),
                Number(s, "seconds"),
                Number(s, "solve_seconds"),
                Number(s, "flops"),
                Number(s, "residual_norm_mean"),
                Number(s, "residual_norm_max"),
                s.GetProperty("solve_datapoints").GetInt32(),
                Number(s, "condition")));
        }

        var layers = new List<LayerTrainingSummary>();
        foreach (JsonElement l in root.GetProperty("layers").EnumerateArray())
        {
            layers.Add(new LayerTrainingSummary(
                l.GetProperty("layer").GetInt32(),
                l.GetProperty("epochs").GetInt32(),
                l.GetProperty("plateau_reached").GetBoolean(),
                Number(l, "layer_mse"),
                Number(l, "seconds")));
        }

        var warnings = new List<string>();
        foreach (JsonElement warning in root.GetProperty("warnings").EnumerateArray())
        {
            warnings.Add(warning.GetString() ?? string.Empty);
        }

        var refinement = new List<RefinementSweep>();
        if (root.TryGetProperty("refinement", out JsonElement sweeps))
        {
            foreach (JsonElement r in sweeps.EnumerateArray())
            {
                refinement.Add(new RefinementSweep(
                    r.GetProperty("sweep").GetInt32(),
                    Number(r, "network_mse_before"),
                    Number(r, "network_mse"),
                    r.GetProperty("datapoints_improved").GetInt64(),
                    r.GetProperty("datapoints_worsened").GetInt64(),
                    [.. r.GetProperty("weights_accepted").EnumerateArray().Select(b => b.GetBoolean())],
                    Number(r, "seconds")));
            }
        }

        string? procedure = root.TryGetProperty("procedure", out JsonElement p) ? p.GetString() : null;
        double? testMse = root.TryGetProperty("test_reconstruction_mse", out _) ? Number(root, "test_reconstruction_mse") : null;
        double? testElastic = root.TryGetProperty("test_reconstruction_elastic", out _) ? Number(root, "test_reconstruction_elastic") : null;
        return new TrainingHistory(steps, layers, Number(root, "total_seconds"), warnings, testMse, testElastic, procedure, refinement);
    }

    private static void WriteOptions(Utf8JsonWriter w, TrainingOptions o)
    {
        w.WriteStartObject();
        w.WriteNumber("epochs_per_layer", o.EpochsPerLayer);
        Number(w, "plateau_tolerance", o.PlateauTolerance);
        w.WriteString("first_step", o.FirstStep == TrainingStep.Latents ? "latents" : "weights");
        w.WriteString("solver", SolverName(o.Solver));
        Number(w, "ridge", o.Ridge);
        Number(w, "latent_ridge", o.LatentRidge);
        if (o.WeightSubsetSize is int subset)
        {
            w.WriteNumber("weight_subset_size", subset);
        }
        else
        {
            w.WriteNull("weight_subset_size");
        }

        if (o.ConvolutionWeightSubsetSize is int convSubset)
        {
            w.WriteNumber("conv_weight_subset_size", convSubset);
        }
        else
        {
            w.WriteNull("conv_weight_subset_size");
        }

        w.WriteNumber("weight_subset_count", o.WeightSubsetCount);
        w.WriteString("weight_initialization", o.WeightInitialization == WeightInitialization.Orthogonal ? "orthogonal" : "gaussian");
        Number(w, "latent_initialization_scale", o.LatentInitializationScale);
        w.WriteBoolean("close_with_latent_solve", o.CloseWithLatentSolve);
        w.WriteNumber("seed", o.Seed);
        if (o.DegreeOfParallelism is int dop)
        {
            w.WriteNumber("degree_of_parallelism", dop);
        }
        else
        {
            w.WriteNull("degree_of_parallelism");
        }

        w.WriteBoolean("report_network_metrics", o.ReportNetworkMetrics);
        w.WriteString("gauge", TrainingOptions.GaugeName(o.Gauge));
        w.WriteNumber("refinement_sweeps", o.RefinementSweeps);
        Number(w, "refinement_tolerance", o.RefinementTolerance);
        w.WriteString("procedure", o.ProcedureName);
        w.WriteEndObject();
    }

    private static TrainingOptions ReadOptions(JsonElement r) => new()
    {
        EpochsPerLayer = r.GetProperty("epochs_per_layer").GetInt32(),
        PlateauTolerance = Number(r, "plateau_tolerance"),
        FirstStep = ParseStep(r.GetProperty("first_step").GetString()),
        Solver = r.GetProperty("solver").GetString() switch
        {
            "qr" => SolverMethod.Qr,
            "normal_equations" => SolverMethod.NormalEquations,
            "semi_normal" => SolverMethod.SemiNormal,
            "randomized_cholesky_qr" => SolverMethod.RandomizedCholeskyQr,
            var other => throw new FormatException($"unknown solver '{other}'"),
        },
        Ridge = Number(r, "ridge"),
        LatentRidge = Number(r, "latent_ridge"),
        WeightSubsetSize = r.GetProperty("weight_subset_size").ValueKind == JsonValueKind.Null ? null : r.GetProperty("weight_subset_size").GetInt32(),
        ConvolutionWeightSubsetSize = !r.TryGetProperty("conv_weight_subset_size", out JsonElement cs) ? 500 : cs.ValueKind == JsonValueKind.Null ? null : cs.GetInt32(),
        WeightSubsetCount = r.TryGetProperty("weight_subset_count", out JsonElement wc) ? wc.GetInt32() : 1,
        WeightInitialization = r.GetProperty("weight_initialization").GetString() switch
        {
            "orthogonal" => WeightInitialization.Orthogonal,
            "gaussian" => WeightInitialization.Gaussian,
            var other => throw new FormatException($"unknown weight initialization '{other}'"),
        },
        LatentInitializationScale = Number(r, "latent_initialization_scale"),
        CloseWithLatentSolve = r.GetProperty("close_with_latent_solve").GetBoolean(),
        Seed = r.GetProperty("seed").GetUInt64(),
        DegreeOfParallelism = r.GetProperty("degree_of_parallelism").ValueKind == JsonValueKind.Null ? null : r.GetProperty("degree_of_parallelism").GetInt32(),
        ReportNetworkMetrics = r.GetProperty("report_network_metrics").GetBoolean(),

        // Files written before issue #8 were trained by the paper's procedure.
        Gauge = r.TryGetProperty("gauge", out JsonElement g) ? ParseGauge(g.GetString()) : GaugeFixing.None,
        RefinementSweeps = r.TryGetProperty("refinement_sweeps", out JsonElement rs) ? rs.GetInt32() : 0,
        RefinementTolerance = r.TryGetProperty("refinement_tolerance", out _) ? Number(r, "refinement_tolerance") : new TrainingOptions().RefinementTolerance,
    };

    private static GaugeFixing ParseGauge(string? name) =>
        Enum.GetValues<GaugeFixing>().FirstOrDefault(g => TrainingOptions.GaugeName(g) == name, (GaugeFixing)(-1)) is var gauge && Enum.IsDefined(gauge)
            ? gauge
            : throw new FormatException($"unknown gauge '{name}'");

    /// <summary>The solver's name in reports and files: <c>qr</c>, <c>normal_equations</c>, <c>semi_normal</c> or <c>randomized_cholesky_qr</c>.</summary>
    public static string SolverName(SolverMethod method) => method switch
    {
        SolverMethod.Qr => "qr",
        SolverMethod.NormalEquations => "normal_equations",
        SolverMethod.RandomizedCholeskyQr => "randomized_cholesky_qr",
        _ => "semi_normal",
    };

    private static TrainingStep ParseStep(string? name) => name switch
    {
        "latents" => TrainingStep.Latents,
        "weights" => TrainingStep.Weights,
        _ => throw new FormatException($"unknown step '{name}'"),
    };

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static double Number(JsonElement e, string name)
    {
        JsonElement v = e.GetProperty(name);
        return v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble();
    }
}
