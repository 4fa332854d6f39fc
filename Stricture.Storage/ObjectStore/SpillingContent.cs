using Microsoft.Win32.SafeHandles;

namespace Stricture.Storage.ObjectStore;

/// <summary>
/// Where content goes while it is staged: memory up to <see cref="InMemoryLimit"/>, then a temp file
/// (a payload can be 10 MB and is never held whole). Small content (nearly every record and every
/// derived object) is then committed from memory: the filesystem's commit log writes it after its
/// record header in one call instead of re-reading a file, and an upload sends it without a file.
/// </summary>
/// <param name="path">The temp file's path.</param>
/// <param name="overwrite">Whether the file may exist already (a recycled staging file, rewritten from its start).</param>
internal sealed class SpillingContent(string path, bool overwrite = false) : Stream
{
    public const int InMemoryLimit = 64 * 1024;

    private byte[] _buffer = new byte[4096];
    private int _length;
    private FileStream? _spill;
    private SafeFileHandle? _written;

    /// <summary>Whether the content outgrew memory and lives in the file.</summary>
    public bool Spilled => _spill is not null;

    /// <summary>The content, while it has not spilled.</summary>
    public ReadOnlyMemory<byte> Memory => Spilled ? throw new InvalidOperationException("The content is in a file.") : _buffer.AsMemory(0, _length);

    /// <summary>
    /// Makes sure every byte is in the file at <c>path</c> and returns its open handle (the file is
    /// created now, in one write, when the content is still in memory). Disposing this closes it.
    /// </summary>
    public SafeFileHandle WriteFile()
    {
        if (_spill is not null)
        {
            _spill.Flush();
            return _spill.SafeFileHandle;
        }
        _written = CreatingFolder(() => File.OpenHandle(path, Mode, FileAccess.Write, Share));
        RandomAccess.Write(_written, Memory.Span, 0);
        return _written;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_spill is null && _length + buffer.Length > InMemoryLimit)
        {
            Spill();
        }
        if (_spill is not null)
        {
            _spill.Write(buffer);
            return;
        }
        if (_length + buffer.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(InMemoryLimit, Math.Max(_buffer.Length * 2, _length + buffer.Length)));
        }
        buffer.CopyTo(_buffer.AsSpan(_length));
        _length += buffer.Length;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_spill is null && _length + buffer.Length > InMemoryLimit)
        {
            Spill();
        }
        if (_spill is not null)
        {
            return _spill.WriteAsync(buffer, cancellationToken);
        }
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _spill?.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _spill?.FlushAsync(cancellationToken) ?? Task.CompletedTask;

    // Create truncates a recycled file to nothing before it is written; a new temp name must not exist.
    private FileMode Mode => overwrite ? FileMode.Create : FileMode.CreateNew;

    // A recycled file may still be open in a late reader (FileShare.Read, which .NET enforces with a
    // shared flock): share with it rather than fail; the reader's hash check catches the rewrite.
    private FileShare Share => overwrite ? FileShare.Read : FileShare.None;

    /// <summary>Creates the temp file, and its folder if someone removed it (the folders are made at start-up, so this is rare).</summary>
    private T CreatingFolder<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return create();
        }
    }

    private void Spill()
    {
        _spill = CreatingFolder(() => new FileStream(path, Mode, FileAccess.Write, Share, bufferSize: 64 * 1024));
        _spill.Write(_buffer, 0, _length);
        _buffer = [];
        _length = 0;
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _spill?.Dispose();
            _written?.Dispose();
        }
        base.Dispose(disposing);
    }
}
