// Package scenarios holds one folder per scenario (scenario.yaml and its
// router.rsc) and the ginkgo suite that runs them all end to end.
package scenarios
