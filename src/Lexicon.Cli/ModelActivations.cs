using Lexicon.Data;
using Lexicon.Training;

namespace Lexicon.Cli;

/// <summary>The per-token activations of the model a store was extracted from, where Lexicon can run that model.</summary>
public static class ModelActivations
{
    public static ITokenActivations? For(ActivationStore store) => null;
}
