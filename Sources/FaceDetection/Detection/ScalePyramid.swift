/// Rounds half to even, as OpenCV's `cvRound` / `saturate_cast<int>` do on x86-64.
@inline(__always) func roundEven(_ value: Double) -> Int { Int(value.rounded(.toNearestOrEven)) }
@inline(__always) func roundEven(_ value: Float) -> Int { Int(value.rounded(.toNearestOrEven)) }

/// One level of the image pyramid: the image shrunk by `factor` and scanned with the cascade's window.
/// Mirrors OpenCV's `FeatureEvaluator::ScaleData` plus the stripe bookkeeping of `detectMultiScaleNoGrouping`.
struct ScaleLevel: Equatable {
    /// The shrink factor (a `float` in OpenCV, and so here).
    let factor: Float
    /// The size of the shrunk image.
    let width: Int
    let height: Int
    /// The window step in shrunk pixels: 2 below factor 2, then 1.
    let step: Int
    /// The window size in source pixels (the size of every box found at this level).
    let windowWidth: Int
    let windowHeight: Int
    /// Windows start at x in 0 ..< scanWidth and y in 0 ..< scanHeight (shrunk pixels).
    let scanWidth: Int
    let scanHeight: Int
}

/// Chooses the pyramid levels exactly as OpenCV 4.6's `CascadeClassifierImpl::detectMultiScaleNoGrouping`.
enum ScalePyramid {
    static func levels(imageWidth: Int, imageHeight: Int, windowWidth: Int, windowHeight: Int,
                       parameters: DetectionParameters) -> [ScaleLevel] {
        guard imageWidth >= windowWidth, imageHeight >= windowHeight else { return [] }
        var maxSize = parameters.maxSize
        if maxSize.width == 0 || maxSize.height == 0 {
            maxSize = PixelSize(width: imageWidth, height: imageHeight)
        }
        let minSize = parameters.minSize

        // Every factor whose window fits the image (the factor accumulates in double, is stored as float).
        var allFactors: [Float] = []
        var factor = 1.0
        while true {
            let w = roundEven(Double(windowWidth) * factor), h = roundEven(Double(windowHeight) * factor)
            if w > imageWidth || h > imageHeight { break }
            allFactors.append(Float(factor))
            factor *= parameters.scaleFactor
        }

        // Those inside [minSize, maxSize]; the window size is recomputed from the float factor.
        var factors: [Float] = []
        for f in allFactors {
            let w = roundEven(Float(windowWidth) * f), h = roundEven(Float(windowHeight) * f)
            if w > maxSize.width || h > maxSize.height { break }
            if w < minSize.width || h < minSize.height { continue }
            factors.append(f)
        }
        // OpenCV's fallback when no factor qualifies: the one whose window is nearest to minSize.
        if factors.isEmpty, !allFactors.isEmpty {
            var best = 0
            var bestDistance = Double.infinity
            for (index, f) in allFactors.enumerated() {
                let dw = minSize.width - roundEven(Float(windowWidth) * f)
                let dh = minSize.height - roundEven(Float(windowHeight) * f)
                let distance = Double(dw * dw + dh * dh)
                if distance < bestDistance {
                    bestDistance = distance
                    best = index
                }
            }
            factors.append(allFactors[best])
        }
        guard !factors.isEmpty else { return [] }

        struct Shrunk { let factor: Float; let width: Int; let height: Int; let step: Int; let workWidth: Int; let workHeight: Int }
        let shrunk = factors.map { f -> Shrunk in
            let w = roundEven(Float(imageWidth) / f), h = roundEven(Float(imageHeight) / f)
            return Shrunk(factor: f, width: w, height: h, step: f >= 2 ? 1 : 2,
                          workWidth: max(w + 1 - windowWidth, 0), workHeight: max(h + 1 - windowHeight, 0))
        }
        // OpenCV splits rows into stripes sized from the first level's width; the stripes of a level can
        // stop short of its last row, and those rows are then never scanned. Reproduce that.
        let stripes = Int((Double(shrunk[0].workWidth) / 32).rounded(.up))
        return shrunk.map { s in
            let stripeSize = stripes > 0 ? max((s.workHeight / s.step + stripes - 1) / stripes, 1) * s.step : 0
            return ScaleLevel(factor: s.factor, width: s.width, height: s.height, step: s.step,
                              windowWidth: roundEven(Float(windowWidth) * s.factor),
                              windowHeight: roundEven(Float(windowHeight) * s.factor),
                              scanWidth: s.workWidth, scanHeight: min(stripes * stripeSize, s.workHeight))
        }
    }
}
