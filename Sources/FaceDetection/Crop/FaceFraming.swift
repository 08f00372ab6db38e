/// How the classifier's crop square is placed around a detector's face box so that it frames the face as
/// FER2013 does (`FaceCrop`): detectors draw their boxes differently, so each has its own framing, measured
/// on FER2013 val faces (every 10th image, enlarged 4× onto a 384 × 384 gray canvas) as the margin and the
/// centre offset that turn the detector's box into the 48 × 48 FER crop (docs/face-detection.md).
public struct FaceFraming: Sendable, Hashable, CustomStringConvertible {
    /// Fraction of the box's longer side added on each side.
    public var margin: Double
    /// Fraction of the box's longer side by which the square's centre moves toward the top of the face (along
    /// the face's own up direction when the crop is turned upright).
    public var lift: Double

    public init(margin: Double, lift: Double = 0) {
        self.margin = margin
        self.lift = lift
    }

    /// OpenCV's Haar (and LBP) cascade boxes: centred on FER's crop, side a median 1/1.04 of it
    /// (`Fixtures/faces/measure_fer_margin.py`): margin 0.02, no lift.
    public static let haar = FaceFraming(margin: FaceCrop.defaultMargin)
    /// BlazeFace short-range boxes: square, a median 1/1.16 of FER's crop side and centred 4.25 FER pixels
    /// (0.10 of the box side) below its centre, on 357 of 359 images (`BlazeFaceFramingTests`).
    public static let blazeFace = FaceFraming(margin: 0.08, lift: 0.10)

    /// The crop square's side for a box of side 1: 1 + 2 × margin.
    public var cropScale: Double { 1 + 2 * margin }

    /// The box side this framing's detector draws for a face that a detector framed by `other` boxes with
    /// side `side` (both crops frame the face as FER2013 does, so the crop sides agree).
    public func boxSide(_ side: Double, convertedFrom other: FaceFraming) -> Double {
        side * other.cropScale / cropScale
    }

    public var description: String { "margin \(margin), lift \(lift)" }
}
