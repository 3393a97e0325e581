extension Array where Element == Int {
    /// The frame numbers in ascending order, each once. Frames usually come that way already:
    /// they are then returned as they are, without a set made and sorted.
    var ascendingFrames: [Int] {
        zip(self, self.dropFirst()).allSatisfy { $0 < $1 } ? self : Array(Set(self)).sorted()
    }
}
