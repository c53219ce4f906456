/// The one table of kubectl commands svclab models: it drives dispatch, `kubectl --help`,
/// `kubectl COMMAND --help` and the shell's Tab completion, so the three never disagree.
/// Texts are kubectl 1.33's (summaries, usage lines, option wording), cut to what svclab does.
struct CommandEntry {
    let name: String
    let type: any KubectlCommand.Type
    /// kubectl's help group (`Basic Commands (Beginner):`, …).
    let group: String
    let summary: String
    let description: String
    let examples: [(comment: String, command: String)]
    /// `(flags, default, help)`, printed as kubectl's `    -A, --all-namespaces=false:\n\t…`.
    let options: [(flags: String, value: String, help: String)]
    let usage: String
}

enum CommandTable {
    static let namespaceOption = (flags: "-n, --namespace", value: "''", help: "If present, the namespace scope for this CLI request")
    static let selectorOption = (flags: "-l, --selector", value: "''", help: "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.")
    static let filenameOption = (flags: "-f, --filename", value: "[]", help: "Filename, directory, or URL to files (svclab: files and directories relative to the session, or - for a heredoc).")

    static let entries: [CommandEntry] = [
        CommandEntry(
            name: "create", type: CreateCommand.self, group: "Basic Commands (Beginner):",
            summary: "Create a resource from a file or from stdin",
            description: "Create a resource from a file or from stdin.\n\n JSON and YAML formats are accepted.",
            examples: [("Create a pod using the data in pod.json", "kubectl create -f ./pod.json"),
                       ("Create a deployment named my-app that runs the nginx image", "kubectl create deployment my-app --image=nginx:1.27 --port=80 --replicas=3"),
                       ("Create a new ClusterIP service named my-cs", "kubectl create service clusterip my-cs --tcp=5678:8080"),
                       ("Create a new namespace named my-namespace", "kubectl create namespace my-namespace")],
            options: [filenameOption, ("--image", "[]", "Image names to run (create deployment)."),
                      ("-r, --replicas", "1", "Number of replicas to create (create deployment)."),
                      ("--port", "-1", "The containerPort that this deployment exposes (create deployment)."),
                      ("--tcp", "[]", "Port pairs can be specified as '<port>:<targetPort>' (create service)."),
                      ("--node-port", "0", "Port used to expose the service on each node in a cluster (create service nodeport)."),
                      ("--clusterip", "''", "Assign your own ClusterIP or set to 'None' for a 'headless' service (no loadbalancing).")],
            usage: "kubectl create -f FILENAME [options]"),
        CommandEntry(
            name: "expose", type: ExposeCommand.self, group: "Basic Commands (Beginner):",
            summary: "Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service",
            description: "Expose a resource as a new Kubernetes service.\n\n Looks up a deployment, service, replica set or pod by name and uses the selector for that resource as the selector for a new service on the specified port.",
            examples: [("Create a service for an nginx deployment, which serves on port 80 and connects to the containers on port 8000", "kubectl expose deployment nginx --port=80 --target-port=8000"),
                       ("Create a service for a pod valid-pod, which serves on port 444 with the name \"frontend\"", "kubectl expose pod valid-pod --port=444 --name=frontend")],
            options: [("--name", "''", "The name for the newly created object."),
                      ("--port", "''", "The port that the service should serve on. Copied from the resource being exposed, if unspecified"),
                      ("--protocol", "''", "The network protocol for the service to be created. Default is 'TCP'."),
                      ("--selector", "''", "A label selector to use for this service. Only equality-based selector requirements are supported."),
                      ("--target-port", "''", "Name or number for the port on the container that the service should direct traffic to. Optional."),
                      ("--type", "''", "Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'.")],
            usage: "kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]"),
        CommandEntry(
            name: "run", type: RunCommand.self, group: "Basic Commands (Beginner):",
            summary: "Run a particular image on the cluster",
            description: "Create and run a particular image in a pod.",
            examples: [("Start a nginx pod", "kubectl run nginx --image=nginx"),
                       ("Start a temporary curl pod, call a Service, and delete the pod", "kubectl run curl --rm -it --image=curlimages/curl -- curl http://my-app"),
                       ("Start a hazelcast pod and let the container expose port 5701", "kubectl run hazelcast --image=hazelcast/hazelcast --port=5701")],
            options: [("--command", "false", "If true and extra arguments are present, use them as the 'command' field in the container, rather than the 'args' field which is the default."),
                      ("--env", "[]", "Environment variables to set in the container."),
                      ("--expose", "false", "If true, create a ClusterIP service associated with the pod.  Requires `--port`."),
                      ("--image", "''", "The image for the container to run."),
                      ("-l, --labels", "''", "Comma separated labels to apply to the pod. Will override previous values."),
                      ("--port", "''", "The port that this container exposes."),
                      ("--restart", "'Always'", "The restart policy for this Pod.  Legal values [Always, OnFailure, Never]."),
                      ("--rm", "false", "If true, delete the pod after it exits.  Only valid when attaching to the container, e.g. with '--attach' or with '-i/--stdin'."),
                      ("-i, --stdin", "false", "Keep stdin open on the container in the pod, even if nothing is attached."),
                      ("-t, --tty", "false", "Allocate a TTY for the container in the pod.")],
            usage: "kubectl run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]"),
        CommandEntry(
            name: "set", type: SetCommand.self, group: "Basic Commands (Beginner):",
            summary: "Set specific features on objects",
            description: "Configure application resources.\n\n These commands help you make changes to existing application resources.",
            examples: [("Set a deployment's web container image to 'nginx:1.28'", "kubectl set image deployment/my-app web=nginx:1.28"),
                       ("Update all containers of all replica sets' pod templates", "kubectl set image rs -l app=my-app *=nginx:1.28")],
            options: [selectorOption, ("--all", "false", "Select all resources, in the namespace of the specified resource types")],
            usage: "kubectl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]"),
        CommandEntry(
            name: "get", type: GetCommand.self, group: "Basic Commands (Intermediate):",
            summary: "Display one or many resources",
            description: "Display one or many resources.\n\n Prints a table of the most important information about the specified resources. You can filter the list using a label selector and the --selector flag.",
            examples: [("List all pods in ps output format", "kubectl get pods"),
                       ("List all pods in ps output format with more information (such as node name)", "kubectl get pods -o wide"),
                       ("List the endpoints of a service and watch them change", "kubectl get endpoints my-app -w"),
                       ("Return only the cluster IP of a service", "kubectl get svc my-app -o jsonpath='{.spec.clusterIP}'"),
                       ("List pods with their labels, sorted by IP", "kubectl get pods --show-labels --sort-by=.status.podIP")],
            options: [("-A, --all-namespaces", "false", "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace."),
                      ("--field-selector", "''", "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2)."),
                      ("-L, --label-columns", "[]", "Accepts a comma separated list of labels that are going to be presented as columns."),
                      ("--no-headers", "false", "When using the default or custom-column output format, don't print headers (default print headers)."),
                      ("-o, --output", "''", "Output format. One of: (json, yaml, name, jsonpath, jsonpath-as-json, custom-columns, wide)."),
                      ("--output-watch-events", "false", "Output watch event objects when --watch or --watch-only is used."),
                      selectorOption,
                      ("--show-labels", "false", "When printing, show all labels as the last column (default hide labels column)"),
                      ("--sort-by", "''", "If non-empty, sort list types using this field specification. The field specification is expressed as a JSONPath expression (e.g. '{.metadata.name}')."),
                      ("-w, --watch", "false", "After listing/getting the requested object, watch for changes."),
                      ("--watch-only", "false", "Watch for changes to the requested object(s), without listing/getting first.")],
            usage: "kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]"),
        CommandEntry(
            name: "delete", type: DeleteCommand.self, group: "Basic Commands (Intermediate):",
            summary: "Delete resources by file names, stdin, resources and names, or by resources and label selector",
            description: "Delete resources by file names, stdin, resources and names, or by resources and label selector.",
            examples: [("Delete pods and services with same names \"baz\" and \"foo\"", "kubectl delete pod,service baz foo"),
                       ("Delete pods and services with label name=myLabel", "kubectl delete pods,services -l name=myLabel"),
                       ("Delete a pod with minimal delay", "kubectl delete pod foo --now")],
            options: [("--all", "false", "Delete all resources, in the namespace of the specified resource types."),
                      filenameOption,
                      ("--force", "false", "If true, immediately remove resources from API and bypass graceful deletion."),
                      ("--grace-period", "-1", "Period of time in seconds given to the resource to terminate gracefully. Ignored if negative."),
                      ("--ignore-not-found", "false", "Treat \"resource not found\" as a successful delete."),
                      ("--now", "false", "If true, resources are signaled for immediate shutdown (same as --grace-period=1)."),
                      selectorOption,
                      ("--wait", "true", "If true, wait for resources to be gone before returning.")],
            usage: "kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]"),
        CommandEntry(
            name: "rollout", type: RolloutCommand.self, group: "Deploy Commands:",
            summary: "Manage the rollout of a resource",
            description: "Manage the rollout of one or many resources.",
            examples: [("Rollback to the previous deployment", "kubectl rollout undo deployment/abc"),
                       ("Check the rollout status of a deployment", "kubectl rollout status deployment/abc"),
                       ("Restart a deployment", "kubectl rollout restart deployment/abc")],
            options: [("--timeout", "0s", "The length of time to wait before ending watch (rollout status), zero means never."),
                      ("--to-revision", "0", "The revision to rollback to (rollout undo). Default to 0 (last revision)."),
                      ("--revision", "0", "See the details, including podTemplate of the revision specified (rollout history)."),
                      ("-w, --watch", "true", "Watch the status of the rollout until it's done (rollout status).")],
            usage: "kubectl rollout SUBCOMMAND [options]"),
        CommandEntry(
            name: "scale", type: ScaleCommand.self, group: "Deploy Commands:",
            summary: "Set a new size for a deployment, replica set, or replication controller",
            description: "Set a new size for a deployment, replica set, replication controller, or stateful set.\n\n Scale also allows users to specify one or more preconditions for the scale action.",
            examples: [("Scale a deployment named 'my-app' to 5", "kubectl scale deployment my-app --replicas=5"),
                       ("If the deployment named mysql's current size is 2, scale mysql to 3", "kubectl scale --current-replicas=2 --replicas=3 deployment/mysql")],
            options: [("--current-replicas", "-1", "Precondition for current size. Requires that the current size of the resource match this value in order to scale. -1 (default) for no condition."),
                      ("--replicas", "0", "The new desired number of replicas. Required.")],
            usage: "kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]"),
        CommandEntry(
            name: "cluster-info", type: ClusterInfoCommand.self, group: "Cluster Management Commands:",
            summary: "Display cluster information",
            description: "Display addresses of the control plane and services with label kubernetes.io/cluster-service=true. To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.",
            examples: [("Print the address of the control plane and cluster services", "kubectl cluster-info")],
            options: [],
            usage: "kubectl cluster-info [flags] [options]"),
        CommandEntry(
            name: "top", type: TopCommand.self, group: "Cluster Management Commands:",
            summary: "Display resource (CPU/memory) usage",
            description: "Display resource (CPU/memory) usage.\n\n The top command allows you to see the resource consumption for nodes or pods.\n\n This command requires Metrics Server to be correctly configured and working on the server.",
            examples: [("Show metrics for all pods in the default namespace", "kubectl top pod"),
                       ("Show metrics for all nodes", "kubectl top node")],
            options: [],
            usage: "kubectl top [flags] [options]"),
        CommandEntry(
            name: "logs", type: LogsCommand.self, group: "Troubleshooting and Debugging Commands:",
            summary: "Print the logs for a container in a pod",
            description: "Print the logs for a container in a pod or specified resource. If the pod has only one container, the container name is optional.",
            examples: [("Return snapshot logs from pod nginx with only one container", "kubectl logs nginx"),
                       ("Return snapshot of previous terminated ruby container logs from pod web-1", "kubectl logs -p -c ruby web-1"),
                       ("Display only the most recent 20 lines of output in pod nginx", "kubectl logs --tail=20 nginx"),
                       ("Return snapshot logs from first container of a job named hello", "kubectl logs job/hello"),
                       ("Show logs from all pods with label app=nginx", "kubectl logs -l app=nginx --all-containers=true")],
            options: [("--all-containers", "false", "Get all containers' logs in the pod(s)."),
                      ("-c, --container", "''", "Print the logs of this container"),
                      ("-f, --follow", "false", "Specify if the logs should be streamed."),
                      ("--max-log-requests", "5", "Specify maximum number of concurrent logs to follow when using by a selector. Defaults to 5."),
                      ("--prefix", "false", "Prefix each log line with the log source (pod name and container name)"),
                      ("-p, --previous", "false", "If true, print the logs for the previous instance of the container in a pod if it exists."),
                      selectorOption,
                      ("--tail", "-1", "Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10, if a selector is provided."),
                      ("--timestamps", "false", "Include timestamps on each line in the log output")],
            usage: "kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]"),
        CommandEntry(
            name: "describe", type: DescribeCommand.self, group: "Troubleshooting and Debugging Commands:",
            summary: "Show details of a specific resource or group of resources",
            description: "Show details of a specific resource or group of resources.\n\n Print a detailed description of the selected resources, including related resources such as events or controllers.",
            examples: [("Describe a service and its endpoints", "kubectl describe service my-app"),
                       ("Describe pods by label name=myLabel", "kubectl describe pods -l name=myLabel")],
            options: [("-A, --all-namespaces", "false", "If present, list the requested object(s) across all namespaces."),
                      selectorOption,
                      ("--show-events", "true", "If true, display events related to the described object.")],
            usage: "kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]"),
        CommandEntry(
            name: "exec", type: ExecCommand.self, group: "Troubleshooting and Debugging Commands:",
            summary: "Execute a command in a container",
            description: "Execute a command in a container.",
            examples: [("Look a Service up from inside a pod", "kubectl exec my-pod -- nslookup my-app"),
                       ("Call a Service from a pod", "kubectl exec my-pod -- curl -s http://my-app"),
                       ("Show the Service variables a pod got when it started", "kubectl exec my-pod -- env")],
            options: [("-c, --container", "''", "Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen"),
                      ("-q, --quiet", "false", "Only print output from the remote session"),
                      ("-i, --stdin", "false", "Pass stdin to the container"),
                      ("-t, --tty", "false", "Stdin is a TTY")],
            usage: "kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]"),
        CommandEntry(
            name: "debug", type: DebugCommand.self, group: "Troubleshooting and Debugging Commands:",
            summary: "Create debugging sessions for troubleshooting workloads and nodes",
            description: "Debug cluster resources using interactive debugging containers.\n\n 'debug' provides automation for common debugging tasks for cluster objects identified by resource and name. Pods will be used by default if no resource is specified.\n\n The action taken by 'debug' varies depending on what resource is specified. Supported actions include:\n\n  *  Node: Create a new pod that runs in the node's host namespaces and can access the node's filesystem.\n\n (svclab models node debugging only.)",
            examples: [("Create an interactive debugging session on a node and immediately attach to it.\n  # The container will run in the host namespaces and the host's filesystem will be mounted at /host", "kubectl debug node/mynode -it --image=busybox"),
                       ("Read kube-proxy's rules on a node", "kubectl debug node/kind-worker -it --image=busybox -- chroot /host iptables-save -t nat")],
            options: [("--image", "''", "Container image to use for debug container."),
                      ("-c, --container", "''", "Container name to use for debug container."),
                      ("--image-pull-policy", "''", "The image pull policy for the container. If left empty, this value will not be specified by the client and defaulted by the server."),
                      ("--profile", "'legacy'", "Options are \"legacy\", \"general\", \"baseline\", \"netadmin\", \"restricted\" or \"sysadmin\"."),
                      ("-q, --quiet", "false", "If true, suppress informational messages."),
                      ("-i, --stdin", "false", "Keep stdin open on the container(s) in the pod, even if nothing is attached."),
                      ("-t, --tty", "false", "Allocate a TTY for the debugging container.")],
            usage: "kubectl debug (POD | TYPE[[.VERSION].GROUP]/NAME) [ -- COMMAND [args...] ] [options]"),
        CommandEntry(
            name: "port-forward", type: PortForwardCommand.self, group: "Troubleshooting and Debugging Commands:",
            summary: "Forward one or more local ports to a pod",
            description: "Forward one or more local ports to a pod.\n\n Use resource type/name such as deployment/mydeployment to select a pod. Resource type defaults to 'pod' if omitted.\n\n If there are multiple pods matching the criteria, a pod will be selected automatically. The forwarding session ends when the selected pod terminates, and a rerun of the command is needed to resume forwarding.",
            examples: [("Listen on port 8080 locally, forwarding to the service's port 80 (one pod behind it)", "kubectl port-forward svc/my-app 8080:80")],
            options: [("--address", "[localhost]", "Addresses to listen on (comma separated).")],
            usage: "kubectl port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]"),
        CommandEntry(
            name: "apply", type: ApplyCommand.self, group: "Advanced Commands:",
            summary: "Apply a configuration to a resource by file name or stdin",
            description: "Apply a configuration to a resource by file name or stdin. The resource name must be specified. This resource will be created if it doesn't exist yet.\n\n JSON and YAML formats are accepted.",
            examples: [("Apply the configuration in service.yaml to a service", "kubectl apply -f ./service.yaml"),
                       ("Apply the YAML passed into stdin", "kubectl apply -f - <<EOF")],
            options: [filenameOption, ("-o, --output", "''", "Output format. One of: (name)."),
                      ("-R, --recursive", "false", "Process the directory used in -f, --filename recursively.")],
            usage: "kubectl apply (-f FILENAME | -k DIRECTORY) [options]"),
        CommandEntry(
            name: "patch", type: PatchCommand.self, group: "Advanced Commands:",
            summary: "Update fields of a resource",
            description: "Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch.\n\n JSON and YAML formats are accepted.",
            examples: [("Partially update a node using a strategic merge patch", "kubectl patch deployment my-app -p '{\"spec\":{\"replicas\":4}}'"),
                       ("Update a service's selector using a JSON merge patch", "kubectl patch svc my-app --type=merge -p '{\"spec\":{\"selector\":{\"app\":\"my-app\"}}}'"),
                       ("Update a container's image using a JSON patch with positional arrays", "kubectl patch pod valid-pod --type='json' -p='[{\"op\": \"replace\", \"path\": \"/spec/containers/0/image\", \"value\":\"new image\"}]'")],
            options: [("-p, --patch", "''", "The patch to be applied to the resource JSON file."),
                      ("--patch-file", "''", "A file containing a patch to be applied to the resource."),
                      ("--type", "'strategic'", "The type of patch being provided; one of [json merge strategic]")],
            usage: "kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]"),
        CommandEntry(
            name: "wait", type: WaitCommand.self, group: "Advanced Commands:",
            summary: "Experimental: Wait for a specific condition on one or many resources",
            description: "Experimental: Wait for a specific condition on one or many resources.\n\n The command takes multiple resources and waits until the specified condition is seen in the Status field of every given resource.",
            examples: [("Wait for the pod \"busybox1\" to contain the status condition of type \"Ready\"", "kubectl wait --for=condition=Ready pod/busybox1"),
                       ("Wait for the pod \"busybox1\" to contain the status phase to be \"Running\"", "kubectl wait --for=jsonpath='{.status.phase}'=Running pod/busybox1"),
                       ("Wait for the pod \"busybox1\" to be deleted, with a timeout of 60s", "kubectl wait --for=delete pod/busybox1 --timeout=60s")],
            options: [("--all", "false", "Select all resources in the namespace of the specified resource types"),
                      ("--for", "''", "The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]."),
                      selectorOption,
                      ("--timeout", "30s", "The length of time to wait before giving up.  Zero means check once and don't wait, negative means wait for a week.")],
            usage: "kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]"),
        CommandEntry(
            name: "label", type: LabelCommand.self, group: "Settings Commands:",
            summary: "Update the labels on a resource",
            description: "Update the labels on a resource.\n\n  *  A label key and value must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 63 characters each.\n  *  If --overwrite is true, then existing labels can be overwritten, otherwise attempting to overwrite a label will result in an error.",
            examples: [("Update pod 'foo' with the label 'unhealthy' and the value 'true'", "kubectl label pods foo unhealthy=true"),
                       ("Update pod 'foo' with the label 'status' and the value 'unhealthy', overwriting any existing value", "kubectl label --overwrite pods foo status=unhealthy"),
                       ("Update pod 'foo' by removing a label named 'bar' if it exists", "kubectl label pods foo bar-")],
            options: [("--all", "false", "Select all resources, in the namespace of the specified resource types"),
                      ("--overwrite", "false", "If true, allow labels to be overwritten, otherwise reject label updates that overwrite existing labels."),
                      selectorOption],
            usage: "kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]"),
        CommandEntry(
            name: "annotate", type: AnnotateCommand.self, group: "Settings Commands:",
            summary: "Update the annotations on a resource",
            description: "Update the annotations on one or more resources.",
            examples: [("Update pod 'foo' with the annotation 'description' and the value 'my frontend'", "kubectl annotate pods foo description='my frontend'"),
                       ("Update pod 'foo' by removing an annotation named 'description' if it exists", "kubectl annotate pods foo description-")],
            options: [("--all", "false", "Select all resources, in the namespace of the specified resource types."),
                      ("--overwrite", "false", "If true, allow annotations to be overwritten, otherwise reject annotation updates that overwrite existing annotations."),
                      selectorOption],
            usage: "kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]"),
        CommandEntry(
            name: "api-resources", type: APIResourcesCommand.self, group: "Other Commands:",
            summary: "Print the supported API resources on the server",
            description: "Print the supported API resources on the server.",
            examples: [("Print the supported API resources", "kubectl api-resources"),
                       ("Print the supported API resources with more information", "kubectl api-resources -o wide"),
                       ("Print the supported API resources sorted by a column", "kubectl api-resources --sort-by=name"),
                       ("Print the supported namespaced resources", "kubectl api-resources --namespaced=true"),
                       ("Print the supported non-namespaced resources", "kubectl api-resources --namespaced=false"),
                       ("Print the supported API resources with a specific APIGroup", "kubectl api-resources --api-group=rbac.authorization.k8s.io")],
            options: [("--api-group", "''", "Limit to resources in the specified API group."),
                      ("--cached", "false", "Use the cached list of resources if available."),
                      ("--categories", "[]", "Limit to resources that belong to the specified categories."),
                      ("--namespaced", "true", "If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default."),
                      ("--no-headers", "false", "When using the default or custom-column output format, don't print headers (default print headers)."),
                      ("-o, --output", "''", "Output format. One of: (json, yaml, name, wide)."),
                      ("--sort-by", "''", "If non-empty, sort list of resources using specified field. The field can be either 'name' or 'kind'."),
                      ("--verbs", "[]", "Limit to resources that support the specified verbs.")],
            usage: "kubectl api-resources [flags] [options]"),
        CommandEntry(
            name: "api-versions", type: APIVersionsCommand.self, group: "Other Commands:",
            summary: "Print the supported API versions on the server, in the form of \"group/version\"",
            description: "Print the supported API versions on the server, in the form of \"group/version\".",
            examples: [("Print the supported API versions", "kubectl api-versions")],
            options: [],
            usage: "kubectl api-versions [flags] [options]"),
        CommandEntry(
            name: "config", type: ConfigCommand.self, group: "Other Commands:",
            summary: "Modify kubeconfig files",
            description: "Modify kubeconfig files using subcommands like \"kubectl config set current-context my-context\".",
            examples: [("Display the current-context", "kubectl config current-context"),
                       ("List all the contexts in your kubeconfig file", "kubectl config get-contexts"),
                       ("Permanently save the namespace for all subsequent kubectl commands in that context", "kubectl config set-context --current --namespace=ggckad-s2"),
                       ("Show merged kubeconfig settings", "kubectl config view")],
            options: [("--current", "false", "Modify the current context (set-context)."),
                      ("--minify", "false", "Remove all information not used by current-context from the output (view)."),
                      ("-o, --output", "''", "Output format. One of: (name) (get-contexts)."),
                      ("--no-headers", "false", "When using the default or custom-column output format, don't print headers (get-contexts).")],
            usage: "kubectl config SUBCOMMAND [options]"),
        CommandEntry(
            name: "version", type: VersionCommand.self, group: "Other Commands:",
            summary: "Print the client and server version information",
            description: "Print the client and server version information for the current context.",
            examples: [("Print the client and server versions for the current context", "kubectl version")],
            options: [("--client", "false", "If true, shows client version only (no server required).")],
            usage: "kubectl version [flags] [options]"),
    ]

    static let byName: [String: CommandEntry] = Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0) })

    /// `kubectl --help`: the groups in kubectl's order, only the commands svclab models.
    static var topLevelHelp: String {
        var text = "kubectl controls the Kubernetes cluster manager (svclab's simulated cluster).\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n"
        var groups: [String] = []
        for e in entries where !groups.contains(e.group) { groups.append(e.group) }
        let width = (entries.map(\.name.count).max() ?? 0) + 2
        for g in groups {
            text += "\n\(g)\n"
            for e in entries where e.group == g {
                text += "  " + e.name + String(repeating: " ", count: max(1, 16 - e.name.count, width - e.name.count)) + e.summary + "\n"
            }
        }
        text += "\nUsage:\n  kubectl [flags] [options]\n\nUse \"kubectl <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands)."
        return text
    }

    /// `kubectl COMMAND --help`, in kubectl's layout (description, Examples, Options, Usage).
    static func help(_ e: CommandEntry) -> String {
        var text = e.description + "\n\nExamples:\n"
        text += e.examples.map { "  # \($0.comment)\n  \($0.command)" }.joined(separator: "\n\n") + "\n\nOptions:\n"
        // Sorted by long name, as cobra prints them.
        func longName(_ flags: String) -> String { flags.components(separatedBy: "--").last ?? flags }
        // The names come from the parser's declaration of the option (CommandDeclarations), the
        // default and the sentence from kubectl's help; CommandTableTests holds the two together.
        let declared = CommandDeclarations.byCommand[e.name] ?? []
        for o in (e.options + [namespaceOption]).sorted(by: { longName($0.flags) < longName($1.flags) }) {
            let long = o.flags.components(separatedBy: ", ").first { $0.hasPrefix("--") } ?? o.flags
            let names = declared.first { $0.names.contains(long) }.map { d in
                (d.names.filter { !$0.hasPrefix("--") } + d.names.filter { $0.hasPrefix("--") }).joined(separator: ", ")
            } ?? o.flags
            text += "    \(names)=\(o.value):\n\t\(o.help)\n\n"
        }
        text += "Usage:\n  \(e.usage)\n\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n"
        return text
    }
}

