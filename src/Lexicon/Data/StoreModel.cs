namespace Lexicon.Data;

/// <summary>
/// What a model's training store says of the model it was read from: the activations' width, vocabulary and tokenizer.
/// A model applies to another store only if these agree (the same transformer's hidden states, tokenized alike).
/// </summary>
public sealed record StoreModel(string? Model, string? Tokenizer, int VocabSize, int DModel)
{
    public static StoreModel Of(StoreManifest manifest) => new(manifest.Model, manifest.Tokenizer, manifest.VocabSize, manifest.DModel);

    /// <summary>Throws, naming the store, where its model differs from this one.</summary>
    public void RequireSame(ActivationStore store, string what)
    {
        var other = Of(store.Manifest);
        string? problem =
            other.DModel != DModel ? $"d_model {other.DModel}, {what} was trained on d_model {DModel}"
            : other.Model != Model ? $"model '{other.Model}', {what} was trained on '{Model}'"
            : other.Tokenizer != Tokenizer ? $"tokenizer '{other.Tokenizer}', {what} was trained with '{Tokenizer}'"
            : other.VocabSize != VocabSize ? $"vocab_size {other.VocabSize}, {what} was trained on {VocabSize}"
            : null;
        if (problem is not null) throw new BadInputException(Path.Combine(store.Directory, StoreManifest.FileName), $"--data: a store of {problem}");
    }
}
