namespace Lexicon.Training;

/// <summary>
/// A model's activation for each token on its own (for a BERT-style model, the input [CLS] t [SEP], read at t), per
/// layer: what <c>--table-init model</c> starts a unigram table from (scaled by 0.5, as published).
/// </summary>
public interface ITokenActivations
{
    /// <summary>The model these activations come from, as an activation store's manifest names it.</summary>
    string Model { get; }

    /// <summary>The model's vocabulary and width: a store that names this model must have the same.</summary>
    int VocabSize { get; }

    int D { get; }

    /// <summary>[vocab, d]: token t's activation at the given layer.</summary>
    float[] ForLayer(int layer, int vocab);
}
