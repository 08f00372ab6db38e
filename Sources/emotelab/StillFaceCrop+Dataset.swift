import Analysis
import Training

extension StillFaceCrop {
    /// The crop of every image of `dataset` at the dataset's own side (nil where no face is found): what
    /// `evaluate --through-detector` scores and `train --detector-crops` trains on.
    func crops(of dataset: ImageDataset, threads: Int) -> [[UInt8]?] {
        crops(of: (0..<dataset.count).map { Array(dataset.image($0)) }, side: dataset.side, outputSize: dataset.side,
              threads: threads)
    }
}
