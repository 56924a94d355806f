using System.Text;

namespace GridGov.Grains.Infrastructure;

/// <summary>
/// The embedded mode's journal: in process memory, gone with the process, and bounded. It keeps the most recent
/// <see cref="Capacity"/> lines and forgets the oldest beyond that, so a demo that runs for days does not grow without
/// end. Ids are deduplicated among the lines kept. PostgreSQL mode keeps every line.
/// </summary>
/// <remarks>
/// Lines are kept as bytes (<see cref="JournalLineCodec"/>) in chunks that are reused once all their lines are
/// forgotten, not as objects. Under load every line outlives a young-generation collection, and as objects (a record,
/// its strings, their index entries) each collection had to copy the newest ones; as bytes there is nothing for the
/// collector to follow or move, and the chunks stay where they are.
/// </remarks>
public sealed class InMemoryEventJournal : IEventJournal
{
    /// <summary>Lines kept by default: about 15 MB of check-in lines.</summary>
    public const int DefaultCapacity = 100_000;

    /// <summary>Bytes per chunk: large-object heap, never copied by the collector. A longer line gets a chunk of its own.</summary>
    public const int ChunkBytes = 128 * 1024;

    /// <summary>Where line number <c>n</c> is: <c>_slots[n % Capacity]</c>.</summary>
    readonly record struct Slot(int Chunk, int Offset, int Length, ulong IdHash);

    sealed class Chunk(int size)
    {
        public readonly byte[] Bytes = new byte[size];
        public int Used;
        public int Live;
    }

    readonly Lock _lock = new();
    readonly Slot[] _slots;
    long _oldest, _next;   // lines _oldest.._next-1 are kept
    readonly List<Chunk?> _chunks = [];
    readonly Stack<int> _freeChunks = new();
    int _current = -1;
    readonly Dictionary<ulong, long> _byIdHash = new();
    readonly Dictionary<string, long> _sameHash = new(StringComparer.Ordinal);   // ids whose hash another kept id has
    readonly Dictionary<string, Queue<long>> _bySubject = new(StringComparer.Ordinal);

    readonly Func<string, ulong> _idHash;

    /// <param name="capacity">Lines kept.</param>
    /// <param name="idHash">How ids are hashed for deduplication; <see cref="JournalLineCodec.IdHash"/> unless a test
    /// passes a poorer one to exercise ids with equal hashes.</param>
    public InMemoryEventJournal(int capacity = DefaultCapacity, Func<string, ulong>? idHash = null)
    {
        _idHash = idHash ?? JournalLineCodec.IdHash;
        Capacity = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The journal must keep at least one line.");
        _slots = new Slot[capacity];
    }

    public int Capacity { get; }

    /// <summary>Lines kept now.</summary>
    public int Count
    {
        get { lock (_lock) return (int)(_next - _oldest); }
    }

    /// <summary>Chunks held now, in use or free for reuse (for tests: bounded by the capacity, not by lines ever written).</summary>
    public int Chunks
    {
        get { lock (_lock) return _chunks.Count(c => c is not null); }
    }

    public Task Append(IReadOnlyList<JournalLine> records)
    {
        lock (_lock)
            foreach (var r in records)
            {
                var hash = _idHash(r.Id);
                if (IsKept(r.Id, hash)) continue;
                if (_next - _oldest == Capacity) Forget();
                var line = _next++;
                var length = JournalLineCodec.Size(r);
                var chunk = Reserve(length);
                var c = _chunks[chunk]!;
                JournalLineCodec.Write(r, c.Bytes.AsSpan(c.Used, length));
                _slots[line % Capacity] = new Slot(chunk, c.Used, length, hash);
                c.Used += length;
                c.Live++;
                if (!_byIdHash.TryAdd(hash, line)) _sameHash[r.Id] = line;
                if (!_bySubject.TryGetValue(r.Subject, out var lines)) _bySubject[r.Subject] = lines = new Queue<long>(1);
                lines.Enqueue(line);
            }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<JournalLine>> Read(string subject)
    {
        JournalLine[] lines;
        lock (_lock)
            lines = _bySubject.TryGetValue(subject, out var q) ? q.Select(Decode).ToArray() : [];
        return Task.FromResult<IReadOnlyList<JournalLine>>(lines.OrderBy(r => r.At).ToArray());
    }

    bool IsKept(string id, ulong hash) =>
        (_byIdHash.TryGetValue(hash, out var line) && IdOf(line) == id) || (_sameHash.Count > 0 && _sameHash.ContainsKey(id));

    // Lines are appended in order, so the globally oldest line is also the oldest of its subject.
    void Forget()
    {
        var line = _oldest;
        var slot = _slots[line % Capacity];
        if (_byIdHash.TryGetValue(slot.IdHash, out var hashed) && hashed == line) _byIdHash.Remove(slot.IdHash);
        else _sameHash.Remove(IdOf(line));
        var subject = JournalLineCodec.ReadSubject(Bytes(slot));
        var lines = _bySubject[subject];
        lines.Dequeue();
        if (lines.Count == 0) _bySubject.Remove(subject);
        _oldest++;
        if (--_chunks[slot.Chunk]!.Live == 0 && slot.Chunk != _current) Free(slot.Chunk);
    }

    /// <summary>A chunk with <paramref name="length"/> bytes free: the current one, a reused one, or a new one.</summary>
    int Reserve(int length)
    {
        if (_current >= 0 && _chunks[_current]!.Used + length <= _chunks[_current]!.Bytes.Length) return _current;
        if (_current >= 0 && _chunks[_current]!.Live == 0) Free(_current);
        if (!_freeChunks.TryPop(out var id))
        {
            id = _chunks.Count;
            _chunks.Add(null);
        }
        if (_chunks[id] is null || length > ChunkBytes) _chunks[id] = new Chunk(Math.Max(length, ChunkBytes));
        return _current = id;
    }

    /// <summary>All lines of the chunk are forgotten: a standard one is kept for reuse, a line-sized one let go.</summary>
    void Free(int id)
    {
        var chunk = _chunks[id]!;
        if (chunk.Bytes.Length == ChunkBytes) chunk.Used = 0;
        else _chunks[id] = null;
        _freeChunks.Push(id);
    }

    ReadOnlySpan<byte> Bytes(Slot slot) => _chunks[slot.Chunk]!.Bytes.AsSpan(slot.Offset, slot.Length);

    string IdOf(long line) => JournalLineCodec.ReadId(Bytes(_slots[line % Capacity]));

    JournalLine Decode(long line) => JournalLineCodec.Read(Bytes(_slots[line % Capacity]));
}

/// <summary>
/// A journal line as bytes: Id and Subject first (what the journal's indexes need back), then the rest. Strings are
/// UTF-8 after a 7-bit length that is one more than the byte count (0 for null); the time is UTC ticks and an offset
/// in minutes.
/// </summary>
public static class JournalLineCodec
{
    public static int Size(JournalLine r) =>
        Size(r.Id) + Size(r.Subject) + Size(r.Kind) + sizeof(long) + sizeof(short) + Size(r.CellCode) + Size(r.ActorId)
        + Size(r.Action) + Size(r.Stage) + Size(r.Detail);

    public static void Write(JournalLine r, Span<byte> into)
    {
        var at = 0;
        Put(r.Id, into, ref at);
        Put(r.Subject, into, ref at);
        Put(r.Kind, into, ref at);
        BitConverter.TryWriteBytes(into[at..], r.At.UtcTicks);
        at += sizeof(long);
        BitConverter.TryWriteBytes(into[at..], (short)r.At.TotalOffsetMinutes);
        at += sizeof(short);
        Put(r.CellCode, into, ref at);
        Put(r.ActorId, into, ref at);
        Put(r.Action, into, ref at);
        Put(r.Stage, into, ref at);
        Put(r.Detail, into, ref at);
        if (at != into.Length) throw new InvalidOperationException($"A journal line took {at} bytes, not the {into.Length} measured.");
    }

    public static JournalLine Read(ReadOnlySpan<byte> line)
    {
        var at = 0;
        var id = Get(line, ref at)!;
        var subject = Get(line, ref at)!;
        var kind = Get(line, ref at)!;
        var ticks = BitConverter.ToInt64(line[at..]);
        at += sizeof(long);
        var offset = TimeSpan.FromMinutes(BitConverter.ToInt16(line[at..]));
        at += sizeof(short);
        var when = new DateTimeOffset(ticks + offset.Ticks, offset);
        return new JournalLine(id, kind, when, Get(line, ref at)!, subject, Get(line, ref at)!, Get(line, ref at), Get(line, ref at), Get(line, ref at)!);
    }

    public static string ReadId(ReadOnlySpan<byte> line)
    {
        var at = 0;
        return Get(line, ref at)!;
    }

    public static string ReadSubject(ReadOnlySpan<byte> line)
    {
        var at = 0;
        Skip(line, ref at);
        return Get(line, ref at)!;
    }

    /// <summary>A 64-bit FNV-1a hash of an id: equal hashes are still compared by the ids themselves.</summary>
    public static ulong IdHash(string id)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in id) hash = (hash ^ c) * 1099511628211UL;
        return hash;
    }

    static int Size(string? s)
    {
        if (s is null) return 1;
        var bytes = Encoding.UTF8.GetByteCount(s);
        return VarIntSize((uint)bytes + 1) + bytes;
    }

    static int VarIntSize(uint v)
    {
        var n = 1;
        while (v >= 0x80) { v >>= 7; n++; }
        return n;
    }

    static void Put(string? s, Span<byte> into, ref int at)
    {
        if (s is null)
        {
            into[at++] = 0;
            return;
        }
        var bytes = Encoding.UTF8.GetByteCount(s);
        var v = (uint)bytes + 1;
        while (v >= 0x80)
        {
            into[at++] = (byte)(v | 0x80);
            v >>= 7;
        }
        into[at++] = (byte)v;
        at += Encoding.UTF8.GetBytes(s, into.Slice(at, bytes));
    }

    static uint Length(ReadOnlySpan<byte> line, ref int at)
    {
        uint v = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = line[at++];
            v |= (uint)(b & 0x7F) << shift;
            if (b < 0x80) return v;
        }
    }

    static string? Get(ReadOnlySpan<byte> line, ref int at)
    {
        var v = Length(line, ref at);
        if (v == 0) return null;
        var s = Encoding.UTF8.GetString(line.Slice(at, (int)v - 1));
        at += (int)v - 1;
        return s;
    }

    static void Skip(ReadOnlySpan<byte> line, ref int at)
    {
        var v = Length(line, ref at);
        if (v > 0) at += (int)v - 1;
    }
}
