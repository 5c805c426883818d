namespace Lexicon.Data;

/// <summary>Which rows of a store a measurement reads: the held-out sequences, the training rows, or every row.</summary>
public enum Split
{
    HeldOut,
    Train,
    All,
}

public static class Splits
{
    /// <summary>The name results carry in their "split" field and --split takes.</summary>
    public static string Name(this Split split) => split switch
    {
        Split.HeldOut => "heldout",
        Split.Train => "train",
        _ => "all",
    };

    public static Split Parse(string name, string flag) => name switch
    {
        "heldout" => Split.HeldOut,
        "train" => Split.Train,
        "all" => Split.All,
        _ => throw new BadInputException(flag, $"must be heldout, train or all, got '{name}'"),
    };
}
