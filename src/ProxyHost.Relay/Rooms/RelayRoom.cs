namespace ProxyHost.Relay.Rooms;

/// <summary>The members of one document. Broadcasts read an immutable snapshot, so they never hold the lock while delivering.</summary>
internal sealed class RelayRoom(string documentId)
{
    private readonly Lock _lock = new();
    private IRoomMember[] _members = [];

    public string DocumentId { get; } = documentId;

    public IReadOnlyList<IRoomMember> Members => Volatile.Read(ref _members);

    /// <summary>Set when the last member left and the room was taken out of its relay; a late joiner must get a new room.</summary>
    public bool IsClosed { get; private set; }

    public bool TryAdd(IRoomMember member)
    {
        lock (_lock)
        {
            if (IsClosed)
            {
                return false;
            }
            _members = [.. _members, member];
            return true;
        }
    }

    /// <summary>Removes <paramref name="member"/>; returns true when that emptied (and closed) the room.</summary>
    public bool Remove(IRoomMember member)
    {
        lock (_lock)
        {
            _members = [.. _members.Where(m => !ReferenceEquals(m, member))];
            IsClosed = _members.Length == 0;
            return IsClosed;
        }
    }

    /// <summary>Delivers to every member except <paramref name="sender"/>; returns how many got it.</summary>
    public int Broadcast(ReadOnlyMemory<byte> message, IRoomMember? sender)
    {
        var delivered = 0;
        foreach (var member in Members)
        {
            if (!ReferenceEquals(member, sender))
            {
                member.Deliver(message);
                delivered++;
            }
        }
        return delivered;
    }
}
