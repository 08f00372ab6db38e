/// The short-term reference frames of a decoded picture buffer, simulated from slice headers alone
/// (§8.2.4 list initialisation and modification for P slices, §8.2.5 marking). Frames only: the analyzer
/// rejects fields and long-term references before they reach this type.
///
/// Errors are `H264StreamProblem`s: a stream that names a picture the buffer does not hold, or holds more
/// references than max_num_ref_frames allows.
struct H264ShortTermReferences {
    /// One reference frame.
    struct Entry: Equatable {
        let frameNum: Int
        /// The picture's index in decode order; -1 for a frame a decoder invents to fill a frame_num gap.
        let picture: Int
        let isBidirectional: Bool
    }

    private(set) var entries: [Entry] = []

    /// FrameNumWrap (= PicNum for frames, §8.2.4.1) of `entry` seen from a picture with `currentFrameNum`.
    static func picNum(of entry: Entry, currentFrameNum: Int, maxFrameNum: Int) -> Int {
        entry.frameNum > currentFrameNum ? entry.frameNum - maxFrameNum : entry.frameNum
    }

    /// The first `activeCount` entries of RefPicList0 of a P/SP slice of the frame `currentFrameNum`: the
    /// pictures its modifications name, in order, then the initial list (descending PicNum, §8.2.4.2.1)
    /// without those (the net effect of §8.2.4.3.1). Shorter when the buffer holds fewer pictures.
    func list0(currentFrameNum: Int, modifications: [H264SliceHeader.ListModification], activeCount: Int,
               maxFrameNum: Int) throws -> [Entry] {
        var named: [Entry] = []
        var picNumPredicted = currentFrameNum  // CurrPicNum for frames
        for modification in modifications {
            var picNumNoWrap: Int
            switch modification {
            case .subtract(let absDiffMinus1):
                picNumNoWrap = picNumPredicted - (absDiffMinus1 + 1)
                if picNumNoWrap < 0 { picNumNoWrap += maxFrameNum }
            case .add(let absDiffMinus1):
                picNumNoWrap = picNumPredicted + (absDiffMinus1 + 1)
                if picNumNoWrap >= maxFrameNum { picNumNoWrap -= maxFrameNum }
            }
            picNumPredicted = picNumNoWrap
            // PicNum = picNumNoWrap − MaxFrameNum exactly when picNumNoWrap > CurrPicNum, as for
            // FrameNumWrap: the picture sought is the one whose frame_num is picNumNoWrap.
            guard let entry = entries.first(where: { $0.frameNum == picNumNoWrap }) else {
                throw H264StreamProblem("a P picture (frame_num \(currentFrameNum)) names a reference picture "
                                        + "(frame_num \(picNumNoWrap)) that is not in the buffer")
            }
            named.append(entry)
        }
        let initial = entries.sorted {
            Self.picNum(of: $0, currentFrameNum: currentFrameNum, maxFrameNum: maxFrameNum)
                > Self.picNum(of: $1, currentFrameNum: currentFrameNum, maxFrameNum: maxFrameNum)
        }
        return Array((named + initial.filter { !named.contains($0) }).prefix(activeCount))
    }

    /// Fills a frame_num gap the way FFmpeg does when the pictures in between were not decoded: one
    /// invented frame per missing frame_num after `previousFrameNum` and before `currentFrameNum`, each
    /// marked by the sliding window.
    mutating func fillGap(after previousFrameNum: Int, before currentFrameNum: Int, maxFrameNum: Int,
                          maxReferences: Int) throws {
        let missing = (currentFrameNum - previousFrameNum - 1 + maxFrameNum) % maxFrameNum
        guard missing > 0 else { return }
        guard missing <= maxReferences else {
            throw H264StreamProblem("\(missing) pictures in a row before frame_num \(currentFrameNum) are B or "
                                    + "non-reference pictures, more than max_num_ref_frames (\(maxReferences))")
        }
        for step in 1...missing {
            let invented = Entry(frameNum: (previousFrameNum + step) % maxFrameNum, picture: -1, isBidirectional: false)
            try mark(invented, marking: .slidingWindow, maxFrameNum: maxFrameNum, maxReferences: maxReferences)
        }
    }

    /// Marks the decoded reference picture `current` (§8.2.5): an IDR empties the buffer; otherwise its
    /// memory-management operations or the sliding window make room; then it joins the buffer.
    mutating func mark(_ current: Entry, marking: H264SliceHeader.Marking, maxFrameNum: Int,
                       maxReferences: Int) throws {
        let capacity = max(maxReferences, 1)
        switch marking {
        case .none:
            return
        case .idr:
            entries.removeAll()
        case .slidingWindow:
            if entries.count >= capacity, let oldest = entries.indices.min(by: {
                Self.picNum(of: entries[$0], currentFrameNum: current.frameNum, maxFrameNum: maxFrameNum)
                    < Self.picNum(of: entries[$1], currentFrameNum: current.frameNum, maxFrameNum: maxFrameNum)
            }) {
                entries.remove(at: oldest)
            }
        case .removeShortTerm(let differences):
            for differenceMinus1 in differences {
                let picNumX = current.frameNum - (differenceMinus1 + 1)
                guard let index = entries.firstIndex(where: {
                    Self.picNum(of: $0, currentFrameNum: current.frameNum, maxFrameNum: maxFrameNum) == picNumX
                }) else {
                    throw H264StreamProblem("the picture with frame_num \(current.frameNum) unmarks a reference "
                                            + "(PicNum \(picNumX)) that is not in the buffer")
                }
                entries.remove(at: index)
            }
        }
        guard !entries.contains(where: { $0.frameNum == current.frameNum }) else {
            throw H264StreamProblem("two reference pictures in the buffer have frame_num \(current.frameNum)")
        }
        entries.append(current)
        guard entries.count <= capacity else {
            throw H264StreamProblem("more reference pictures than max_num_ref_frames (\(maxReferences)) "
                                    + "after frame_num \(current.frameNum)")
        }
    }
}
