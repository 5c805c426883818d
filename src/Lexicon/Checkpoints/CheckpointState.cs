using Lexicon.Data;
using Lexicon.Data.Formats;
using Lexicon.Model;
using Lexicon.Training;

namespace Lexicon.Checkpoints;

/// <summary>trainer_state.safetensors: counters (step, tokens seen, cursor epoch and position), the loss normaliser, the
/// Adam moments and firing counters, and the tables' lazy-Adam state. Read back with every field checked (a corrupt
/// count, a negative second moment, a NaN normaliser are bad input naming the file); what must agree with the run's
/// config and store is checked when the run resumes (<see cref="Trainer"/>).</summary>
public static class CheckpointState
{
    public static void Write(string path, TrainerState s)
    {
        var writer = new SafeTensorsWriter();
        writer.Metadata["format"] = "lexicon-trainer-state/1";
        writer.Add("counters", [s.Step, s.TokensSeen, s.Cursor.Epoch, s.Cursor.Position], [4]);
        writer.Add("normalizer", [s.Normalizer], [1]);
        writer.Add("adam.moment1", s.Moment1, [s.Moment1.Length]);
        writer.Add("adam.moment2", s.Moment2, [s.Moment2.Length]);
        writer.Add("since_fired", s.SinceFired, [s.SinceFired.Length]);
        if (s.TableMoment1 is not null && s.TableMoment2 is not null && s.TableRowSteps is not null)
        {
            writer.Add("table.moment1", s.TableMoment1, [s.TableMoment1.Length]);
            writer.Add("table.moment2", s.TableMoment2, [s.TableMoment2.Length]);
            writer.Add("table.row_steps", s.TableRowSteps, [s.TableRowSteps.Length]);
        }
        writer.Write(path);
    }

    public static TrainerState Read(string path, SaeShape shape, TableWeights? tables)
    {
        using var file = SafeTensorsFile.Open(path);
        long length = new ParameterLayout(shape).Length;
        var counters = file.ReadLongs("counters");
        var normalizer = file.ReadFloats("normalizer");
        var m1 = file.ReadFloats("adam.moment1");
        var m2 = file.ReadFloats("adam.moment2");
        var since = file.ReadInts("since_fired");
        if (counters.Length != 4 || normalizer.Length != 1 || m1.Length != length || m2.Length != length || since.Length != shape.Latents)
            throw new BadInputException(path, $"trainer state does not fit an SAE of d {shape.D} and {shape.Latents} latents");
        if (counters.Any(c => c < 0)) throw new BadInputException(path, "negative step, token or cursor counters");
        if (!float.IsFinite(normalizer[0]) || normalizer[0] <= 0) throw new BadInputException(path, $"normalizer {normalizer[0]} is not a positive number");
        TensorChecks.Finite(m1, path, "adam.moment1");
        TensorChecks.NotNegative(m2, path, "adam.moment2");
        TensorChecks.NotNegative(since, path, "since_fired");
        float[]? t1 = null, t2 = null;
        int[]? rowSteps = null;
        if (tables is not null)
        {
            t1 = file.ReadFloats("table.moment1");
            t2 = file.ReadFloats("table.moment2");
            rowSteps = file.ReadInts("table.row_steps");
            if (t1.Length != tables.Values.Length || t2.Length != tables.Values.Length || rowSteps.Length != tables.Layout.TotalRows)
                throw new BadInputException(path, "table moments do not fit the checkpoint's tables");
            TensorChecks.Finite(t1, path, "table.moment1");
            TensorChecks.NotNegative(t2, path, "table.moment2");
            TensorChecks.NotNegative(rowSteps, path, "table.row_steps");
        }
        return new TrainerState(counters[0], counters[1], new StreamCursor(counters[2], counters[3]), normalizer[0], m1, m2, since, t1, t2, rowSteps)
        {
            Source = path,
        };
    }
}
