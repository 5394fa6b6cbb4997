namespace Sawt.Inference.Synthetic;

/// <summary>
/// How a test steers a synthetic v2 bundle's alignment: a text containing one trigger letter (Greek, so it survives
/// the text pipeline as one text id) selects a <see cref="SyntheticAlignmentBehaviour"/>; a text without one aligns
/// normally. The embedding graph marks trigger ids in reserved dimensions, the language model reads them back from its
/// own KV cache, so the behaviour is a function the graphs compute from the text.
/// </summary>
public static class SyntheticAlignmentSteering
{
    /// <summary>Behaviours with a trigger, in the order of their reserved embedding dimensions.</summary>
    internal static readonly SyntheticAlignmentBehaviour[] Steered =
    [
        SyntheticAlignmentBehaviour.FalseStart,
        SyntheticAlignmentBehaviour.LongTail,
        SyntheticAlignmentBehaviour.AlignmentRepetition,
        SyntheticAlignmentBehaviour.Discontinuity,
        SyntheticAlignmentBehaviour.TokenRepetition,
    ];

    /// <summary>The letter that selects <paramref name="behaviour"/>; none for <see cref="SyntheticAlignmentBehaviour.Normal"/>.</summary>
    public static char Trigger(SyntheticAlignmentBehaviour behaviour) => behaviour switch
    {
        SyntheticAlignmentBehaviour.FalseStart => 'α',
        SyntheticAlignmentBehaviour.LongTail => 'β',
        SyntheticAlignmentBehaviour.AlignmentRepetition => 'γ',
        SyntheticAlignmentBehaviour.Discontinuity => 'δ',
        SyntheticAlignmentBehaviour.TokenRepetition => 'ε',
        _ => throw new ArgumentOutOfRangeException(nameof(behaviour), behaviour, "Normal alignment needs no trigger."),
    };

    /// <summary><paramref name="text"/> with the trigger of <paramref name="behaviour"/> inserted as its own word before the end.</summary>
    public static string Steer(string text, SyntheticAlignmentBehaviour behaviour)
    {
        ArgumentNullException.ThrowIfNull(text);
        return behaviour == SyntheticAlignmentBehaviour.Normal ? text : $"{Trigger(behaviour)} {text}";
    }
}
