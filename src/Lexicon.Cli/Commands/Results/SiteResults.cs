using Lexicon.Suite;

namespace Lexicon.Cli.Commands.Results;

/// <summary>features --json: the site's index page and how many features fired and never did.</summary>
public sealed record FeaturesResult(string Site, int Features, int Dead);

/// <summary>quickstart --json: the store and the report's page.</summary>
public sealed record QuickstartResult(string Store, string Report);

/// <summary>encode --json: every text token with the features that fired on it per layer.</summary>
public sealed record EncodeResult(string? Model, IReadOnlyList<EncodedToken> Tokens);

public sealed record EncodedToken(string Token, int Id, int Position, IReadOnlyList<LayerReadout> Layers);
