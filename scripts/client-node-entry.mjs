// The parts of @kubernetes/client-node PodNet uses (src/providers/kube/api/*), bundled on their own as dist/client-node.js
// so that tree shaking keeps the rest of the client out. Add a name here when the kube code imports a new one.
export { CoreV1Api, createConfiguration, DiscoveryV1Api, Exec, KubeConfig, ServerConfiguration, Watch } from '@kubernetes/client-node';
