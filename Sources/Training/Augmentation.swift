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

    public init(horizontalFlip: Bool = true, maxShift: Int = 0, maxRotation: Float = 0, maxContrast: Float = 0,
                maxBrightness: Float = 0) {
        self.horizontalFlip = horizontalFlip
        self.maxShift = maxShift
        self.maxRotation = maxRotation
        self.maxContrast = maxContrast
        self.maxBrightness = maxBrightness
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

    public static let identity = Augmentation(flip: false, dx: 0, dy: 0, rotation: 0)

    public init(flip: Bool, dx: Int, dy: Int, rotation: Float, contrast: Float = 1, brightness: Float = 0) {
        self.flip = flip
        self.dx = dx
        self.dy = dy
        self.rotation = rotation
        self.contrast = contrast
        self.brightness = brightness
    }

    /// Draws one augmentation. The number of values taken from `generator` depends only on `options`, so
    /// a plan for a whole epoch is reproducible from the generator's state at the start of the epoch.
    public static func random(_ options: AugmentationOptions, using generator: inout RandomGenerator) -> Augmentation {
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
        return result
    }

    /// Writes the distorted `side × side` image `source` to `destination` (same size). The output pixel
    /// (x, y) shows the source at the point that the shift, then the rotation about the centre, then the
    /// mirror carry onto (x, y); points outside the image take the nearest edge pixel. Then contrast and
    /// brightness: `v ← mean + contrast · (v − mean) + brightness`, rounded and clamped to 0...255, with
    /// `mean` the source image's mean.
    public func apply(_ source: UnsafeBufferPointer<UInt8>, side: Int,
                      to destination: UnsafeMutableBufferPointer<UInt8>) {
        precondition(source.count == side * side && destination.count == side * side)
        applyGeometry(source, side: side, to: destination)
        guard contrast != 1 || brightness != 0 else { return }
        var sum = 0
        for v in source { sum += Int(v) }
        let mean = Float(sum) / Float(source.count)
        let offset = mean - contrast * mean + brightness
        for i in 0..<destination.count {
            destination[i] = UInt8(min(max((contrast * Float(destination[i]) + offset).rounded(), 0), 255))
        }
    }

    private func applyGeometry(_ source: UnsafeBufferPointer<UInt8>, side: Int,
                               to destination: UnsafeMutableBufferPointer<UInt8>) {
        if rotation == 0 {
            // Whole-pixel path: a plain copy with clamped, possibly mirrored indices.
            for y in 0..<side {
                let sy = min(max(y - dy, 0), side - 1)
                let row = sy * side
                for x in 0..<side {
                    let ox = flip ? side - 1 - x : x
                    let sx = min(max(ox - dx, 0), side - 1)
                    destination[y * side + x] = source[row + sx]
                }
            }
            return
        }
        let radians = Double(rotation) * .pi / 180
        let c = Float(cos(radians)), s = Float(sin(radians))
        let centre = Float(side - 1) / 2
        let last = Float(side - 1)
        for y in 0..<side {
            for x in 0..<side {
                // Undo the mirror, the rotation and the shift, in that order.
                let ox = Float(flip ? side - 1 - x : x) - centre
                let oy = Float(y) - centre
                // Image y points down, so a counter-clockwise turn on screen is clockwise in these axes.
                let rx = c * ox - s * oy + centre - Float(dx)
                let ry = s * ox + c * oy + centre - Float(dy)
                let fx = min(max(rx, 0), last), fy = min(max(ry, 0), last)
                let x0 = Int(fx), y0 = Int(fy)
                let x1 = min(x0 + 1, side - 1), y1 = min(y0 + 1, side - 1)
                let ax = fx - Float(x0), ay = fy - Float(y0)
                let top = Float(source[y0 * side + x0]) * (1 - ax) + Float(source[y0 * side + x1]) * ax
                let bottom = Float(source[y1 * side + x0]) * (1 - ax) + Float(source[y1 * side + x1]) * ax
                let value = top * (1 - ay) + bottom * ay
                destination[y * side + x] = UInt8(min(max(value.rounded(), 0), 255))
            }
        }
    }
}
