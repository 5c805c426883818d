namespace Lexicon.Tests.Synthetic;

/// <summary>Shares one <see cref="DefaultWorldFixture"/> among the test classes that read the default world.</summary>
[CollectionDefinition(Name)]
public sealed class DefaultWorldCollection : ICollectionFixture<DefaultWorldFixture>
{
    public const string Name = "default synthetic world";
}
