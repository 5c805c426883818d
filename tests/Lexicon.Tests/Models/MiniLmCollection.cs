namespace Lexicon.Tests.Models;

/// <summary>Shares one <see cref="MiniLmFixture"/> among the test classes that run the model.</summary>
[CollectionDefinition(Name)]
public sealed class MiniLmCollection : ICollectionFixture<MiniLmFixture>
{
    public const string Name = "all-MiniLM-L6-v2";
}
