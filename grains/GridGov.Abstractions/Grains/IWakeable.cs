namespace GridGov.Grains;

/// <summary>A grain the system wakes at its own deadlines (window ends, stage deadlines, day ends).</summary>
public interface IWakeable : IGrainWithStringKey
{
    /// <summary>Processes whatever has fallen due; safe to call at any time and more than once.</summary>
    Task Wake();
}
