/// OpenCV's `groupRectangles(rectList, weights, groupThreshold, eps)`: clusters raw hits whose corners
/// lie within `eps` × (mean of the smaller width and height) / 2 of each other (transitively, as
/// `cv::partition`), averages each cluster, drops clusters with `groupThreshold` or fewer members and
/// clusters that sit inside a stronger one.
enum RectangleGrouping {
    /// A grouped box and the number of raw hits merged into it.
    struct Group: Equatable {
        let box: FaceBox
        let count: Int
    }

    static func group(_ rects: [FaceBox], threshold: Int, eps: Double = 0.2) -> [Group] {
        guard threshold > 0, !rects.isEmpty else { return rects.map { Group(box: $0, count: 1) } }
        let (labels, classCount) = partition(rects, eps: eps)

        var sums = [(x: Int, y: Int, width: Int, height: Int)](repeating: (0, 0, 0, 0), count: classCount)
        var counts = [Int](repeating: 0, count: classCount)
        for (rect, label) in zip(rects, labels) {
            sums[label].x += rect.x
            sums[label].y += rect.y
            sums[label].width += rect.width
            sums[label].height += rect.height
            counts[label] += 1
        }
        // The mean, computed as OpenCV does: float reciprocal, then round half to even.
        let means = (0..<classCount).map { k -> FaceBox in
            let s = 1 / Float(counts[k])
            return FaceBox(x: roundEven(Float(sums[k].x) * s), y: roundEven(Float(sums[k].y) * s),
                           width: roundEven(Float(sums[k].width) * s), height: roundEven(Float(sums[k].height) * s))
        }

        var groups: [Group] = []
        for i in 0..<classCount {
            let r1 = means[i], n1 = counts[i]
            if n1 <= threshold { continue }
            var swallowed = false
            for j in 0..<classCount where j != i {
                let n2 = counts[j]
                if n2 <= threshold { continue }
                let r2 = means[j]
                let dx = roundEven(Double(r2.width) * eps), dy = roundEven(Double(r2.height) * eps)
                if r1.x >= r2.x - dx, r1.y >= r2.y - dy,
                   r1.x + r1.width <= r2.x + r2.width + dx, r1.y + r1.height <= r2.y + r2.height + dy,
                   n2 > max(3, n1) || n1 < 3 {
                    swallowed = true
                    break
                }
            }
            if !swallowed { groups.append(Group(box: r1, count: n1)) }
        }
        return groups
    }

    /// `SimilarRects`: all four edges within delta of each other.
    @inline(__always)
    static func similar(_ a: FaceBox, _ b: FaceBox, eps: Double) -> Bool {
        let delta = eps * Double(min(a.width, b.width) + min(a.height, b.height)) * 0.5
        return Double(abs(a.x - b.x)) <= delta && Double(abs(a.y - b.y)) <= delta
            && Double(abs(a.maxX - b.maxX)) <= delta && Double(abs(a.maxY - b.maxY)) <= delta
    }

    /// Connected components of the similarity graph, labelled in order of their first member (as
    /// `cv::partition` numbers its classes).
    static func partition(_ rects: [FaceBox], eps: Double) -> (labels: [Int], classCount: Int) {
        var parent = Array(0..<rects.count)
        func root(_ i: Int) -> Int {
            var r = i
            while parent[r] != r { r = parent[r] }
            var k = i
            while parent[k] != r {
                let next = parent[k]
                parent[k] = r
                k = next
            }
            return r
        }
        for i in 0..<rects.count {
            for j in (i + 1)..<rects.count where similar(rects[i], rects[j], eps: eps) {
                let ri = root(i), rj = root(j)
                if ri != rj { parent[max(ri, rj)] = min(ri, rj) }
            }
        }
        var labelOfRoot = [Int](repeating: -1, count: rects.count)
        var labels = [Int](repeating: 0, count: rects.count)
        var classCount = 0
        for i in 0..<rects.count {
            let r = root(i)
            if labelOfRoot[r] < 0 {
                labelOfRoot[r] = classCount
                classCount += 1
            }
            labels[i] = labelOfRoot[r]
        }
        return (labels, classCount)
    }
}
