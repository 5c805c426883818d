namespace Lexicon.Distributed;

/// <summary>On a rank other than the lead: what the lead did alone (<see cref="World.OnLead"/>) failed there, and the
/// lead says why; this rank ends quietly, with bad input's exit code where the lead's failure was bad input.</summary>
public sealed class LeadFailedException(bool badInput) : Exception("the lead rank failed")
{
    public bool BadInput { get; } = badInput;
}
