/// Runs the cascade on one window, as OpenCV's `CascadeClassifierImpl::runAt`: 1 when every stage
/// accepts, 0 when the first stage rejects (the scan then skips the next position), a negative stage
/// index when a later stage rejects, and -1 when the window is not evaluated at all (flat Haar window).
protocol WindowClassifier {
    /// `window`: offset of the window's top-left element in the level's integral image.
    func classify(_ window: Int) -> Int
}

/// The integral images and cascade tables a classifier reads, for one pyramid level. Plain pointers
/// (no reference counting in the per-window loop); `CompiledCascade` and the workspace own the memory.
struct LevelPlanes {
    let sum: UnsafePointer<Int32>
    /// Sums of squares (Haar only; points at `sum` for LBP).
    let squares: UnsafePointer<Int32>
    let cascade: CascadeTables
}

/// OpenCV's `HaarEvaluator::setWindow`: the factor that normalises feature values by the window's
/// standard deviation, or nil for a window whose variance is too small to evaluate.
@inline(__always)
private func varianceNormalization(_ sum: UnsafePointer<Int32>, _ squares: UnsafePointer<Int32>,
                                   _ cascade: CascadeTables) -> Float? {
    let (a, b, c, d) = cascade.normCorners
    let total = cornerSum(sum, a, b, c, d)
    let totalSquares = UInt32(bitPattern: cornerSum(squares, a, b, c, d))
    let area = cascade.normArea
    let spread = area * Double(totalSquares) - Double(total) * Double(total)
    guard spread > 0 else { return nil }
    let factor = Float(1 / spread.squareRoot())
    return area * Double(factor) < 0.1 ? factor : nil
}

/// Haar cascade made of stumps (OpenCV's `predictOrderedStump`): the common, fast case.
struct HaarStumpClassifier: WindowClassifier {
    let planes: LevelPlanes

    @inline(__always)
    func classify(_ window: Int) -> Int {
        let cascade = planes.cascade
        let p = planes.sum + window
        guard let norm = varianceNormalization(p, planes.squares + window, cascade) else { return -1 }
        let stumps = cascade.haarStumps
        let sizes = cascade.stageSizes, thresholds = cascade.stageThresholds
        var k = 0
        for stage in 0..<cascade.stageCount {
            var total = 0.0
            let end = k + Int(sizes[stage])
            while k < end {
                let stump = stumps + k
                let value = stump.pointee.feature.value(p) * norm
                total += Double(value < stump.pointee.threshold ? stump.pointee.left : stump.pointee.right)
                k += 1
            }
            if total < thresholds[stage] { return -stage }
        }
        return 1
    }
}

/// Haar cascade with deeper trees (OpenCV's `predictOrdered`).
struct HaarTreeClassifier: WindowClassifier {
    let planes: LevelPlanes

    func classify(_ window: Int) -> Int {
        let cascade = planes.cascade
        let p = planes.sum + window
        guard let norm = varianceNormalization(p, planes.squares + window, cascade) else { return -1 }
        let features = cascade.haarFeatures, nodes = cascade.nodes
        let leaves = cascade.leaves, treeSizes = cascade.treeSizes
        var nodeOffset = 0, leafOffset = 0, tree = 0
        for stage in 0..<cascade.stageCount {
            var total = 0.0
            for _ in 0..<Int(cascade.stageSizes[stage]) {
                var index = 0
                repeat {
                    let node = nodes[nodeOffset + index]
                    let value = features[Int(node.feature)].value(p) * norm
                    index = Int(value < node.threshold ? node.left : node.right)
                } while index > 0
                total += Double(leaves[leafOffset - index])
                let size = Int(treeSizes[tree])
                nodeOffset += size
                leafOffset += size + 1
                tree += 1
            }
            if total < cascade.stageThresholds[stage] { return -stage }
        }
        return 1
    }
}

/// LBP cascade made of stumps (OpenCV's `predictCategoricalStump`).
struct LBPStumpClassifier: WindowClassifier {
    let planes: LevelPlanes

    @inline(__always)
    func classify(_ window: Int) -> Int {
        let cascade = planes.cascade
        let p = planes.sum + window
        let stumps = cascade.lbpStumps
        let words = cascade.categoryWords, wordCount = cascade.categoryWordCount
        let sizes = cascade.stageSizes, thresholds = cascade.stageThresholds
        var k = 0
        for stage in 0..<cascade.stageCount {
            var total = 0.0
            let end = k + Int(sizes[stage])
            while k < end {
                let stump = stumps + k
                let code = stump.pointee.feature.code(p)
                let member = (words[k * wordCount + (code >> 5)] >> UInt32(code & 31)) & 1 != 0
                total += Double(member ? stump.pointee.left : stump.pointee.right)
                k += 1
            }
            if total < thresholds[stage] { return -stage }
        }
        return 1
    }
}

/// LBP cascade with deeper trees (OpenCV's `predictCategorical`).
struct LBPTreeClassifier: WindowClassifier {
    let planes: LevelPlanes

    func classify(_ window: Int) -> Int {
        let cascade = planes.cascade
        let p = planes.sum + window
        let features = cascade.lbpFeatures, nodes = cascade.nodes
        let words = cascade.categoryWords, wordCount = cascade.categoryWordCount
        let leaves = cascade.leaves, treeSizes = cascade.treeSizes
        var nodeOffset = 0, leafOffset = 0, tree = 0
        for stage in 0..<cascade.stageCount {
            var total = 0.0
            for _ in 0..<Int(cascade.stageSizes[stage]) {
                var index = 0
                repeat {
                    let node = nodes[nodeOffset + index]
                    let code = features[Int(node.feature)].code(p)
                    let word = words[(nodeOffset + index) * wordCount + (code >> 5)]
                    index = Int((word >> UInt32(code & 31)) & 1 != 0 ? node.left : node.right)
                } while index > 0
                total += Double(leaves[leafOffset - index])
                let size = Int(treeSizes[tree])
                nodeOffset += size
                leafOffset += size + 1
                tree += 1
            }
            if total < cascade.stageThresholds[stage] { return -stage }
        }
        return 1
    }
}
