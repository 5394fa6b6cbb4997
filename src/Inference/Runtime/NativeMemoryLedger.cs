namespace Sawt.Inference.Runtime;

/// <summary>
/// Counts the native ONNX Runtime values the engine holds right now (inputs it created, outputs it
/// received). Zero between calls means nothing leaked; tests read it after cancellation.
/// One ledger per bundle, shared by everything that runs the bundle's sessions.
/// </summary>
public sealed class NativeMemoryLedger
{
    private long _liveValues;
    private long _totalValues;

    /// <summary>Native values currently alive.</summary>
    public long LiveValues => Interlocked.Read(ref _liveValues);

    /// <summary>Native values created since the ledger was made.</summary>
    public long TotalValues => Interlocked.Read(ref _totalValues);

    internal void Acquired(int count)
    {
        Interlocked.Add(ref _liveValues, count);
        Interlocked.Add(ref _totalValues, count);
    }

    internal void Released(int count) => Interlocked.Add(ref _liveValues, -count);
}
