using StarNet.IO;

namespace StarNet.Core.Tests.IO;

public sealed class SafeTensorsAtomicWriteTests
{
    private const string FileName = "model.safetensors";

    [Fact]
    public void A_source_that_throws_mid_write_leaves_the_previous_file_and_no_temporary_file()
    {
        var failing = new SafeTensorsWriter()
            .Add("first", new double[1000], 1000)
            .Add("second", SafeTensorDType.F32, [4], stream =>
            {
                stream.Write(new byte[8]);
                throw new IOException("disk on fire");
            });

        IOException e = AssertFailedSaveKeepsPreviousFile<IOException>(failing);
        Assert.Equal("disk on fire", e.Message);
    }

    [Fact]
    public void A_source_that_writes_the_wrong_byte_count_fails_without_touching_the_target()
    {
        var shortSource = new SafeTensorsWriter().Add("s", SafeTensorDType.I32, [3], stream => stream.Write(new byte[8]));

        InvalidOperationException e = AssertFailedSaveKeepsPreviousFile<InvalidOperationException>(shortSource);
        Assert.Contains("wrote 8 bytes", e.Message);
        Assert.Contains("needs 12", e.Message);
    }

    [Fact]
    public void A_failed_first_write_creates_no_file()
    {
        using var folder = new TempFolder();
        var writer = new SafeTensorsWriter().Add("x", SafeTensorDType.U8, [1], _ => throw new InvalidOperationException("no data"));
        Assert.Throws<InvalidOperationException>(() => writer.Save(folder.File(FileName)));
        Assert.Empty(folder.FileNames());
    }

    [Fact]
    public void A_streamed_source_is_written_in_place()
    {
        using var folder = new TempFolder();
        string path = folder.File(FileName);
        new SafeTensorsWriter()
            .Add("a", new float[] { 1f }, 1)
            .Add("b", SafeTensorDType.U8, [2, 2], stream => stream.Write([1, 2, 3, 4]))
            .Save(path);

        using SafeTensorsReader reader = SafeTensorsReader.Open(path);
        Assert.Equal([1, 2, 3, 4], reader.GetTensor<byte>("b"));
        Assert.Equal([2L, 2L], reader.GetInfo("b").Shape);
    }

    [Fact]
    public void Saving_again_replaces_the_file()
    {
        using var folder = new TempFolder();
        string path = folder.File(FileName);
        new SafeTensorsWriter().Add("old", new float[] { 1f }, 1).Save(path);
        new SafeTensorsWriter().Add("new", new double[] { 2.0 }, 1).Save(path);

        using SafeTensorsReader reader = SafeTensorsReader.Open(path);
        Assert.Equal(["new"], reader.Tensors.Select(t => t.Name));
        Assert.Equal([FileName], folder.FileNames());
    }

    /// <summary>Saves a good file, lets <paramref name="failing"/> overwrite it, and checks nothing changed.</summary>
    private static TException AssertFailedSaveKeepsPreviousFile<TException>(SafeTensorsWriter failing)
        where TException : Exception
    {
        using var folder = new TempFolder();
        string path = folder.File(FileName);
        new SafeTensorsWriter().Add("w", new float[] { 1f, 2f, 3f }, 3).Save(path);
        byte[] before = File.ReadAllBytes(path);

        var e = Assert.Throws<TException>(() => failing.Save(path));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([FileName], folder.FileNames());
        return e;
    }
}
