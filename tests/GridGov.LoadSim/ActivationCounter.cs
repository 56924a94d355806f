using System.Diagnostics.Metrics;

namespace GridGov.LoadSim;

/// <summary>
/// Grain activations created and destroyed in this process, from Orleans' own catalog counters. A run that activates
/// grains pays for first touches (state read, directory registration), not for the steady state it means to measure.
/// </summary>
public static class ActivationCounter
{
    static readonly MeterListener Listener = new();
    static long _created, _destroyed;

    static ActivationCounter()
    {
        Listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Microsoft.Orleans" && instrument.Name is Created or Destroyed) listener.EnableMeasurementEvents(instrument);
        };
        Listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Add(instrument, value));
        Listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Add(instrument, value));
        Listener.Start();
    }

    const string Created = "orleans-catalog-activation-created";
    const string Destroyed = "orleans-catalog-activation-destroyed";

    static void Add(Instrument instrument, long value)
    {
        if (instrument.Name == Created) Interlocked.Add(ref _created, value);
        else Interlocked.Add(ref _destroyed, value);
    }

    /// <summary>Starts listening: the first call runs the static constructor (instruments already published are picked up too).</summary>
    public static void Start() { }

    public static (long Created, long Destroyed) Now => (Interlocked.Read(ref _created), Interlocked.Read(ref _destroyed));
}
