using System.Globalization;
using Sawt.Bench;

// Reports are documents: numbers and dates use the invariant culture whatever the machine's locale.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

return await BenchCommandLine.RunAsync(args, Console.Out, Console.Error, cancellation.Token);
