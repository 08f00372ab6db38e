import Foundation

/// Labelled gray images held in memory as bytes at the model's input size (`side × side`), one contiguous
/// buffer for all images: FER2013's 28,709 training faces take ≈66 MB at 48×48.
public struct ImageDataset: Sendable {
    /// Width and height of every image, in pixels.
    public let side: Int
    /// The class names; a label is a position in this list.
    public let classNames: [String]
    /// Where the images came from, for messages (for example `fer2013/train`).
    public let source: String
    /// All images, row-major, one after another (`count * side * side` bytes).
    public private(set) var pixels: [UInt8]
    /// One class index per image.
    public private(set) var labels: [Int]
    /// The same faces as a face detector cuts them, when attached (`withDetectorCrops`); images added,
    /// subsets and resized copies do not carry them.
    public private(set) var detectorCrops: DetectorCrops?

    /// An empty dataset of `side × side` images labelled with `classNames`.
    public init(side: Int, classNames: [String], source: String) {
        self.side = side
        self.classNames = classNames
        self.source = source
        self.pixels = []
        self.labels = []
    }

    /// Number of images.
    public var count: Int { labels.count }
    /// Bytes per image.
    public var imageSize: Int { side * side }
    /// Whether the dataset holds no image.
    public var isEmpty: Bool { labels.isEmpty }

    /// The pixels of image `index`.
    public func image(_ index: Int) -> ArraySlice<UInt8> {
        pixels[(index * imageSize)..<((index + 1) * imageSize)]
    }

    /// Adds one image (`side * side` bytes) with its class index.
    public mutating func append<C: Collection>(_ image: C, label: Int) where C.Element == UInt8 {
        precondition(image.count == imageSize && classNames.indices.contains(label),
                     "ImageDataset.append: caller must pass a side×side image and a valid label")
        pixels.append(contentsOf: image)
        labels.append(label)
        detectorCrops = nil
    }

    /// Adds every image of `other` (same side and classes).
    public mutating func append(contentsOf other: ImageDataset) {
        precondition(other.side == side && other.classNames == classNames,
                     "ImageDataset.append(contentsOf:): datasets must share side and classes")
        pixels.append(contentsOf: other.pixels)
        labels.append(contentsOf: other.labels)
        detectorCrops = nil
    }

    /// This dataset with `crops` (made from these very images) attached, for training that shows each face as
    /// the detector cuts it some of the time (`Augmentation.detectorCrop`).
    public func withDetectorCrops(_ crops: DetectorCrops) -> ImageDataset {
        precondition(crops.found.count == count && crops.pixels.count == pixels.count,
                     "ImageDataset.withDetectorCrops: crops of another dataset")
        var result = self
        result.detectorCrops = crops
        return result
    }

    /// How many images each class has, in class-index order.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for label in labels { counts[label] += 1 }
        return counts
    }

    /// A dataset with only the images at `indices`, in that order.
    public func subset(_ indices: [Int]) -> ImageDataset {
        var result = ImageDataset(side: side, classNames: classNames, source: source)
        result.pixels.reserveCapacity(indices.count * imageSize)
        for index in indices { result.append(image(index), label: labels[index]) }
        return result
    }

    /// The same images resized to `side × side` with `resize` (itself when the side already matches).
    public func resized(to side: Int, using resize: ImageResizer) -> ImageDataset {
        if side == self.side { return self }
        var result = ImageDataset(side: side, classNames: classNames, source: source)
        result.pixels.reserveCapacity(count * side * side)
        for index in 0..<count {
            result.append(resize(Array(image(index)), self.side, self.side, side), label: labels[index])
        }
        return result
    }
}
