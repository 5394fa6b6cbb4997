namespace Sawt.Inference.Audio.Formats;

/// <summary>
/// ITU-T G.711 companding between 16-bit linear PCM and 8-bit mu-law / A-law, after the reference algorithms in
/// Sun Microsystems' public-domain g711.c (the code behind sox, Asterisk and most telephony stacks): mu-law works on
/// the top 14 bits with bias 0x84 and clips at 8159 (x4), A-law on the top 13 bits; both encoders truncate.
/// Silence encodes as 0xFF (mu-law) and 0xD5 (A-law), the even bits of A-law inverted as the standard requires.
/// </summary>
internal static class G711
{
    private const int SignBit = 0x80;
    private const int QuantMask = 0x0F;
    private const int SegmentShift = 4;
    private const int SegmentMask = 0x70;
    private const int MuLawBias = 0x84;
    private const int MuLawClip = 8159;

    public static byte LinearToMuLaw(short sample)
    {
        var value = sample >> 2;
        int mask;
        if (value < 0)
        {
            value = -value;
            mask = 0x7F;
        }
        else
        {
            mask = 0xFF;
        }

        value = Math.Min(value, MuLawClip) + (MuLawBias >> 2);

        // Segment: first s with value <= (0x40 << s) - 1, i.e. 0x3F, 0x7F, ..., 0x1FFF; past that, the maximum code.
        var segment = 0;
        while (segment < 8 && value >= (0x40 << segment))
        {
            segment++;
        }

        if (segment >= 8)
        {
            return (byte)(0x7F ^ mask);
        }

        var code = (segment << 4) | ((value >> (segment + 1)) & QuantMask);
        return (byte)(code ^ mask);
    }

    public static short MuLawToLinear(byte code)
    {
        var u = ~code & 0xFF;
        var t = ((u & QuantMask) << 3) + MuLawBias;
        t <<= (u & SegmentMask) >> SegmentShift;
        return (short)((u & SignBit) != 0 ? MuLawBias - t : t - MuLawBias);
    }

    public static byte LinearToALaw(short sample)
    {
        var value = sample >> 3;
        int mask;
        if (value >= 0)
        {
            mask = 0xD5;
        }
        else
        {
            mask = 0x55;
            value = -value - 1;
        }

        // Segment: first s with value <= (0x20 << s) - 1, i.e. 0x1F, 0x3F, ..., 0xFFF; 13-bit input stays within.
        var segment = 0;
        while (segment < 8 && value >= (0x20 << segment))
        {
            segment++;
        }

        if (segment >= 8)
        {
            return (byte)(0x7F ^ mask);
        }

        var code = segment << SegmentShift;
        code |= segment < 2 ? (value >> 1) & QuantMask : (value >> segment) & QuantMask;
        return (byte)(code ^ mask);
    }

    public static short ALawToLinear(byte code)
    {
        var a = code ^ 0x55;
        var t = (a & QuantMask) << 4;
        var segment = (a & SegmentMask) >> SegmentShift;
        switch (segment)
        {
            case 0:
                t += 8;
                break;
            case 1:
                t += 0x108;
                break;
            default:
                t += 0x108;
                t <<= segment - 1;
                break;
        }

        return (short)((a & SignBit) != 0 ? t : -t);
    }
}
