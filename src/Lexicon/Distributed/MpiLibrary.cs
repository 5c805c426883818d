using System.Runtime.InteropServices;

namespace Lexicon.Distributed;

/// <summary>
/// The dozen MPI calls Lexicon needs, bound straight to MPICH's C ABI (<c>libmpich.so.12</c>, Debian's <c>mpich</c>;
/// Intel MPI shares the ABI). A thin binding rather than MPI.NET: that one binds msmpi.dll by name and needs a
/// resolver to find MPICH at all. Nothing here is loaded unless <see cref="World.Join"/> finds the process was
/// launched by mpiexec, so a plain run needs no MPI library installed. Handles are MPICH's ints
/// (/usr/include/x86_64-linux-gnu/mpich/mpi.h).
/// </summary>
internal static unsafe partial class MpiLibrary
{
    public const string Name = "libmpich.so.12";

    public const int CommWorld = 0x44000000;
    public const int Byte = 0x4c00010d;
    public const int Int = 0x4c000405;
    public const int Float = 0x4c00040a;
    public const int LongLong = 0x4c000809;
    public const int Max = 0x58000001;
    public const int Min = 0x58000002;
    public const int ThreadSerialized = 2;
    public const int Success = 0;

    /// <summary>MPI_IN_PLACE: an allgather's own block is already in place in the receive buffer.</summary>
    public static readonly void* InPlace = (void*)-1;

    /// <summary>MPI_STATUS_IGNORE.</summary>
    public static readonly void* StatusIgnore = (void*)1;

    [LibraryImport(Name, EntryPoint = "MPI_Initialized")]
    public static partial int Initialized(out int flag);

    [LibraryImport(Name, EntryPoint = "MPI_Init_thread")]
    public static partial int InitThread(void* argc, void* argv, int required, out int provided);

    [LibraryImport(Name, EntryPoint = "MPI_Finalize")]
    public static partial int FinalizeMpi();

    [LibraryImport(Name, EntryPoint = "MPI_Comm_rank")]
    public static partial int CommRank(int comm, out int rank);

    [LibraryImport(Name, EntryPoint = "MPI_Comm_size")]
    public static partial int CommSize(int comm, out int size);

    [LibraryImport(Name, EntryPoint = "MPI_Abort")]
    public static partial int Abort(int comm, int code);

    [LibraryImport(Name, EntryPoint = "MPI_Iallgatherv")]
    public static partial int Iallgatherv(void* send, int sendCount, int sendType, void* receive, int* receiveCounts, int* displacements,
        int receiveType, int comm, out int request);

    [LibraryImport(Name, EntryPoint = "MPI_Iallreduce")]
    public static partial int Iallreduce(void* send, void* receive, int count, int type, int op, int comm, out int request);

    [LibraryImport(Name, EntryPoint = "MPI_Ibarrier")]
    public static partial int Ibarrier(int comm, out int request);

    [LibraryImport(Name, EntryPoint = "MPI_Test")]
    public static partial int Test(ref int request, out int flag, void* status);
}
