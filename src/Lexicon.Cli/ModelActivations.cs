using Lexicon.Data;
using Lexicon.Models;
using Lexicon.Training;

namespace Lexicon.Cli;

/// <summary>The per-token activations of the model a store was extracted from, where Lexicon can run that model (for
/// now all-MiniLM-L6-v2); computed only if <c>--table-init model</c> asks for them.</summary>
public static class ModelActivations
{
    public static ITokenActivations? For(ActivationStore store) =>
        store.Manifest.Model == MiniLm.ModelName ? new MiniLmTokenActivations() : null;
}
