/// How far apart neighbouring samples of a timeline may be and still be contiguous.
public enum SamplingGrid {
    /// Neighbouring samples at most this many sampling intervals apart are contiguous; further apart, the
    /// time between was not sampled (a part of the recording that could not be decoded, a jump in its clock).
    /// Each sample is the first frame at or after its grid point, so real gaps vary by up to a frame either
    /// way (0.16–0.40 s at 4 samples/s from a 25 fps recording sampled at its anchor frames); two intervals
    /// leave room for that and for one grid point without a frame.
    public static let contiguity = 2.0
}
