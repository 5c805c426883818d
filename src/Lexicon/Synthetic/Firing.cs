namespace Lexicon.Synthetic;

/// <summary>Feature <see cref="Feature"/> fires at row <see cref="Row"/> of a block with activation
/// <see cref="Magnitude"/>, the same at every layer where the feature is alive.</summary>
internal readonly record struct Firing(int Row, int Feature, float Magnitude);
