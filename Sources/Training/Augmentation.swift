import EmotionModel
import Foundation
import NeuralNet

/// Which random distortions training applies to each image, drawn afresh every epoch.
public struct AugmentationOptions: Codable, Equatable, Sendable {
    /// Mirror left-right with probability ½ (the paper's only augmentation).
    public var horizontalFlip: Bool
    /// Largest shift in pixels, each axis drawn uniformly from `-maxShift...maxShift`; borders repeat the
    /// edge pixels. 0 turns shifting off.
    public var maxShift: Int
    /// Largest rotation in degrees, drawn uniformly from `-maxRotation...maxRotation` (bilinear, edges
    /// repeated). 0 turns rotation off.
    public var maxRotation: Float
    /// Contrast jitter: each image's contrast about its own mean is scaled by a factor drawn log-uniformly
    /// from `1/(1+maxContrast)...1+maxContrast`. 0 turns it off.
    public var maxContrast: Float
    /// Brightness jitter in gray levels, drawn uniformly from `-maxBrightness...maxBrightness`. 0 turns it off.
    public var maxBrightness: Float
    /// Scale jitter about the image centre: a zoom factor drawn log-uniformly from `1/(1+maxScale)...1+maxScale`
    /// (above 1 the face fills more of the crop, below 1 less, with edges repeated), as face detectors' boxes
    /// vary in size around a face. 0 turns it off.
    public var maxScale: Float
    /// Random erasing (Zhong et al. 2017): with this probability a rectangle of 2–40 % of the image, aspect
    /// ratio 0.3–3.3, is filled with uniform gray noise (an occluding hand, glasses, a shadow). 0 turns it off.
    public var erasing: Float

    public init(horizontalFlip: Bool = true, maxShift: Int = 0, maxRotation: Float = 0, maxContrast: Float = 0,
                maxBrightness: Float = 0, maxScale: Float = 0, erasing: Float = 0) {
        self.horizontalFlip = horizontalFlip
        self.maxShift = maxShift
        self.maxRotation = maxRotation
        self.maxContrast = maxContrast
        self.maxBrightness = maxBrightness
        self.maxScale = maxScale
        self.erasing = erasing
    }

    private enum CodingKeys: String, CodingKey {
        case horizontalFlip, maxShift, maxRotation, maxContrast, maxBrightness, maxScale, erasing
    }

    /// Decodes options written before scale jitter and erasing existed as having them off.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        horizontalFlip = try c.decode(Bool.self, forKey: .horizontalFlip)
        maxShift = try c.decode(Int.self, forKey: .maxShift)
        maxRotation = try c.decode(Float.self, forKey: .maxRotation)
        maxContrast = try c.decode(Float.self, forKey: .maxContrast)
        maxBrightness = try c.decode(Float.self, forKey: .maxBrightness)
        maxScale = try c.decodeIfPresent(Float.self, forKey: .maxScale) ?? 0
        erasing = try c.decodeIfPresent(Float.self, forKey: .erasing) ?? 0
    }

    /// No augmentation at all (evaluation, teacher logits).
    public static let none = AugmentationOptions(horizontalFlip: false)
}

/// The distortion drawn for one image in one epoch.
public struct Augmentation: Equatable, Sendable {
    public var flip: Bool
    public var dx: Int
    public var dy: Int
    /// Degrees, counter-clockwise.
    public var rotation: Float
    /// Factor on the deviation of each pixel from the image mean (1: unchanged).
    public var contrast: Float
    /// Gray levels added to every pixel (0: unchanged).
    public var brightness: Float
    /// Zoom about the centre (1: unchanged; 2: the middle half of the image fills the output).
    public var scale: Float
    /// A rectangle filled with noise after the other steps, or nil.
    public var erased: ErasedRegion?
    /// Start from the face as the detector cut it (`ImageDataset.detectorCrops`) instead of the dataset's
    /// registration; the other steps then apply to that crop. Drawn by the trainer's epoch plan
    /// (`--detector-crops`), not by `random`.
    public var detectorCrop: Bool

    /// A rectangle of the output image and the seed of the noise that fills it.
    public struct ErasedRegion: Equatable, Sendable {
        public var x: Int, y: Int, width: Int, height: Int
        public var noiseSeed: UInt64

        public init(x: Int, y: Int, width: Int, height: Int, noiseSeed: UInt64) {
            self.x = x; self.y = y; self.width = width; self.height = height; self.noiseSeed = noiseSeed
        }
    }

    public static let identity = Augmentation(flip: false, dx: 0, dy: 0, rotation: 0)

    public init(flip: Bool, dx: Int, dy: Int, rotation: Float, contrast: Float = 1, brightness: Float = 0,
                scale: Float = 1, erased: ErasedRegion? = nil, detectorCrop: Bool = false) {
        self.flip = flip
        self.dx = dx
        self.dy = dy
        self.rotation = rotation
        self.contrast = contrast
        self.brightness = brightness
        self.scale = scale
        self.erased = erased
        self.detectorCrop = detectorCrop
    }

    /// The same distortion of the registered image (`detectorCrop` off): what `apply` does to the pixels.
    public var distortion: Augmentation {
        var result = self
        result.detectorCrop = false
        return result
    }

    /// Draws one augmentation for a `side × side` image. The number of values taken from `generator` depends
    /// only on `options`, so a plan for a whole epoch is reproducible from the generator's state at the start
    /// of the epoch.
    public static func random(_ options: AugmentationOptions, side: Int = 48,
                              using generator: inout RandomGenerator) -> Augmentation {
        var result = Augmentation.identity
        if options.horizontalFlip { result.flip = generator.next() >> 63 == 1 }
        if options.maxShift > 0 {
            result.dx = generator.nextInt(in: -options.maxShift...options.maxShift)
            result.dy = generator.nextInt(in: -options.maxShift...options.maxShift)
        }
        if options.maxRotation > 0 {
            result.rotation = (generator.nextUnitFloat() * 2 - 1) * options.maxRotation
        }
        if options.maxContrast > 0 {
            result.contrast = Float(exp(Double(generator.nextUnitFloat() * 2 - 1) * log(1 + Double(options.maxContrast))))
        }
        if options.maxBrightness > 0 {
            result.brightness = (generator.nextUnitFloat() * 2 - 1) * options.maxBrightness
        }
        if options.maxScale > 0 {
            result.scale = Float(exp(Double(generator.nextUnitFloat() * 2 - 1) * log(1 + Double(options.maxScale))))
        }
        if options.erasing > 0 {
            // Always six draws, whether or not this image is erased.
            let erase = generator.nextUnitFloat() < options.erasing
            let area = (0.02 + generator.nextUnitFloat() * 0.38) * Float(side * side)
            let aspect = Float(exp(Double(generator.nextUnitFloat() * 2 - 1) * log(1 / 0.3)))
            let width = min(side, max(1, Int((area * aspect).squareRoot().rounded())))
            let height = min(side, max(1, Int((area / aspect).squareRoot().rounded())))
            let x = min(side - width, Int(generator.nextUnitFloat() * Float(side - width + 1)))
            let y = min(side - height, Int(generator.nextUnitFloat() * Float(side - height + 1)))
            let seed = generator.next()
            if erase { result.erased = ErasedRegion(x: x, y: y, width: width, height: height, noiseSeed: seed) }
        }
        return result
    }

    /// Writes the distorted `side × side` image `source` to `destination` (same size). The output pixel
    /// (x, y) shows the source at the point that the shift, then the zoom and the rotation about the centre,
    /// then the mirror carry onto (x, y); points outside the image take the nearest edge pixel. Then contrast
    /// and brightness: `v ← mean + contrast · (v − mean) + brightness`, rounded and clamped to 0...255, with
    /// `mean` the source image's mean. Last, the erased rectangle is filled with uniform noise bytes.
    public func apply(_ source: UnsafeBufferPointer<UInt8>, side: Int,
                      to destination: UnsafeMutableBufferPointer<UInt8>) {
        precondition(source.count == side * side && destination.count == side * side)
        applyGeometry(source, side: side, to: destination)
        if contrast != 1 || brightness != 0 {
            var sum = 0
            for v in source { sum += Int(v) }
            let mean = Float(sum) / Float(source.count)
            let offset = mean - contrast * mean + brightness
            for i in 0..<destination.count {
                destination[i] = UInt8(min(max((contrast * Float(destination[i]) + offset).rounded(), 0), 255))
            }
        }
        if let erased {
            var noise = RandomGenerator(seed: erased.noiseSeed)
            for y in erased.y..<min(side, erased.y + erased.height) {
                for x in erased.x..<min(side, erased.x + erased.width) {
                    destination[y * side + x] = UInt8(truncatingIfNeeded: noise.next() >> 56)
                }
            }
        }
    }

    private func applyGeometry(_ source: UnsafeBufferPointer<UInt8>, side: Int,
                               to destination: UnsafeMutableBufferPointer<UInt8>) {
        FaceWarp(flip: flip, dx: dx, dy: dy, rotation: rotation, scale: scale).apply(source, side: side, to: destination)
    }
}
