/// The training faces as the analysis crop path cuts them — a face detector run on an enlarged copy of
/// each image, the face cut by the one crop geometry (`StillFaceCrop` in Analysis) — kept beside the
/// dataset's own registration, so that training can show each face either way (`--detector-crops`).
///
/// FER2013 registers its faces in its own way; `analyze` feeds the classifier what a detector's box and eye
/// keypoints frame, which costs the shipped models 2–3 points (`evaluate --through-detector`). Showing the
/// detector's crops in training closes that gap at the source.
public struct DetectorCrops: Sendable {
    /// The detector as the user named it (`blazeface`, `haar`, …), recorded in the run's settings.
    public let detector: String
    /// One `side × side` image per dataset image, in dataset order; where the detector found no face, the
    /// registered image stands in (and `found` is false).
    public let pixels: [UInt8]
    /// Whether the detector found a face in each image.
    public let found: [Bool]

    /// Crops of every image of `dataset` (nil where no face was found), each `side × side` bytes.
    public init(detector: String, crops: [[UInt8]?], of dataset: ImageDataset) {
        precondition(crops.count == dataset.count, "DetectorCrops: one crop (or nil) per image")
        self.detector = detector
        var pixels = [UInt8]()
        pixels.reserveCapacity(dataset.count * dataset.imageSize)
        var found = [Bool]()
        found.reserveCapacity(dataset.count)
        for (index, crop) in crops.enumerated() {
            if let crop {
                precondition(crop.count == dataset.imageSize, "DetectorCrops: crops must have the dataset's side")
                pixels.append(contentsOf: crop)
            } else {
                pixels.append(contentsOf: dataset.image(index))
            }
            found.append(crop != nil)
        }
        self.pixels = pixels
        self.found = found
    }

    /// How many images the detector found a face in.
    public var foundCount: Int { found.lazy.filter { $0 }.count }
}
