<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>Berth</name>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation>
            <numerusform>%n minute ago</numerusform>
            <numerusform>%n minutes ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation>
            <numerusform>%n hour ago</numerusform>
            <numerusform>%n hours ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>%n day ago</numerusform>
            <numerusform>%n days ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n month(s) ago</source>
        <translation>
            <numerusform>%n month ago</numerusform>
            <numerusform>%n months ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n year(s) ago</source>
        <translation>
            <numerusform>%n year ago</numerusform>
            <numerusform>%n years ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 is used by %n container(s): %2. Remove them first, or force.</source>
        <translation>
            <numerusform>%1 is used by %n container: %2. Remove it first, or force.</numerusform>
            <numerusform>%1 is used by %n containers: %2. Remove them first, or force.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The image has no layer %1 (it has %n layer(s)).</source>
        <translation>
            <numerusform>The image has no layer %1 (it has %n layer).</numerusform>
            <numerusform>The image has no layer %1 (it has %n layers).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&apos;%1&apos; holds %n image(s); say which one: %2</source>
        <translation>
            <numerusform>&apos;%1&apos; holds %n image; say which one: %2</numerusform>
            <numerusform>&apos;%1&apos; holds %n images; say which one: %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 has no layer %2; it has %n layer(s).</source>
        <translation>
            <numerusform>%1 has no layer %2; it has %n layer.</numerusform>
            <numerusform>%1 has no layer %2; it has %n layers.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&apos;%1&apos; ended without the layer file(s) %2.</source>
        <translation>
            <numerusform>&apos;%1&apos; ended without the layer file %2.</numerusform>
            <numerusform>&apos;%1&apos; ended without the layer files %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The upload took no data for %n second(s).</source>
        <translation>
            <numerusform>The upload took no data for %n second.</numerusform>
            <numerusform>The upload took no data for %n seconds.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The download sent no data for %n second(s).</source>
        <translation>
            <numerusform>The download sent no data for %n second.</numerusform>
            <numerusform>The download sent no data for %n seconds.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>it names %1 sources but its index lists %n image(s)</source>
        <translation>
            <numerusform>it names %1 sources but its index lists %n image</numerusform>
            <numerusform>it names %1 sources but its index lists %n images</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::Cli</name>
    <message numerus="yes">
        <source>%n problem(s)</source>
        <translation>
            <numerusform>%n problem</numerusform>
            <numerusform>%n problems</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Berth looked up the digests of the first %1 tags only: the other %n tag(s) are listed together, under the digest &quot;unknown&quot;.</source>
        <translation>
            <numerusform>Berth looked up the digests of the first %1 tags only: the other tag is listed apart, under the digest &quot;unknown&quot;.</numerusform>
            <numerusform>Berth looked up the digests of the first %1 tags only: the other %n tags are listed together, under the digest &quot;unknown&quot;.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Warning: %1 listed %n name(s) that are not valid tags; they are not shown.</source>
        <translation>
            <numerusform>Warning: %1 listed %n name that is not a valid tag; it is not shown.</numerusform>
            <numerusform>Warning: %1 listed %n names that are not valid tags; they are not shown.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>--layer %1: the image has %n layer(s)</source>
        <translation>
            <numerusform>--layer %1: the image has %n layer</numerusform>
            <numerusform>--layer %1: the image has %n layers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Skipped %n device(s), fifo(s) or socket(s): a copy runs without the privileges to make them.</source>
        <translation>
            <numerusform>Skipped %n device, fifo or socket: a copy runs without the privileges to make them.</numerusform>
            <numerusform>Skipped %n devices, fifos or sockets: a copy runs without the privileges to make them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n path(s) visible, %1 of files; the layers carry %2, of which %3 is wasted (overwritten or deleted by a later layer).</source>
        <translation>
            <numerusform>%n path visible, %1 of files; the layers carry %2, of which %3 is wasted (overwritten or deleted by a later layer).</numerusform>
            <numerusform>%n paths visible, %1 of files; the layers carry %2, of which %3 is wasted (overwritten or deleted by a later layer).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n blob(s) copied (%1)</source>
        <translation>
            <numerusform>%n blob copied (%1)</numerusform>
            <numerusform>%n blobs copied (%1)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n mounted</source>
        <translation>
            <numerusform>%n mounted</numerusform>
            <numerusform>%n mounted</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n already there</source>
        <translation>
            <numerusform>%n already there</numerusform>
            <numerusform>%n already there</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n manifest(s) written</source>
        <translation>
            <numerusform>%n manifest written</numerusform>
            <numerusform>%n manifests written</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleting %1@%2 removes %n tag(s) with it:</source>
        <translation>
            <numerusform>Deleting %1@%2 removes %n tag with it:</numerusform>
            <numerusform>Deleting %1@%2 removes %n tags with it:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n hour</numerusform>
            <numerusform>%n hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> (%n second(s))</source>
        <translation>
            <numerusform> (%n second)</numerusform>
            <numerusform> (%n seconds)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n second</numerusform>
            <numerusform>%n seconds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pull(s)</source>
        <translation>
            <numerusform>%n pull</numerusform>
            <numerusform>%n pulls</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::CopyImageDialog</name>
    <message numerus="yes">
        <source>All %n platforms (keeps the index and its digest)</source>
        <translation>
            <numerusform>All %n platform (keeps the index and its digest)</numerusform>
            <numerusform>All %n platforms (keeps the index and its digest)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::DeleteImageDialog</name>
    <message numerus="yes">
        <source>Delete this image from %1? A registry deletes images, not tags: the %n tag(s) below point at it and all go with it.</source>
        <translation>
            <numerusform>Delete this image from %1? A registry deletes images, not tags: the %n tag below point at it and all go with it.</numerusform>
            <numerusform>Delete this image from %1? A registry deletes images, not tags: the %n tags below point at it and all go with it.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&amp;Delete %n Tag(s)</source>
        <translation>
            <numerusform>&amp;Delete %n Tag</numerusform>
            <numerusform>&amp;Delete %n Tags</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::EngineBackend</name>
    <message numerus="yes">
        <source>Pulled %n layer(s).</source>
        <translation>
            <numerusform>Pulled %n layer.</numerusform>
            <numerusform>Pulled %n layers.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::ExplorePage</name>
    <message numerus="yes">
        <source>%Ln repositories</source>
        <translation>
            <numerusform>%Ln repository</numerusform>
            <numerusform>%Ln repositories</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln official images, most pulled first. Type a name to search Docker Hub.</source>
        <translation>
            <numerusform>%Ln official image, most pulled first. Type a name to search Docker Hub.</numerusform>
            <numerusform>%Ln official images, most pulled first. Type a name to search Docker Hub.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::HubClient</name>
    <message numerus="yes">
        <source>Docker Hub rate limit reached; try again in %n seconds</source>
        <translation>
            <numerusform>Docker Hub rate limit reached; try again in %n second</numerusform>
            <numerusform>Docker Hub rate limit reached; try again in %n seconds</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::ImageFilesView</name>
    <message numerus="yes">
        <source>%n path(s), %1 · efficiency %2 % · %3 wasted (files later layers overwrite or delete)</source>
        <translation>
            <numerusform>%n path, %1 · efficiency %2 % · %3 wasted (files later layers overwrite or delete)</numerusform>
            <numerusform>%n paths, %1 · efficiency %2 % · %3 wasted (files later layers overwrite or delete)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n path(s) match</source>
        <translation>
            <numerusform>%n path match</numerusform>
            <numerusform>%n paths match</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::ImageHistoryView</name>
    <message numerus="yes">
        <source>%1, %n layer(s), %2 compressed</source>
        <translation>
            <numerusform>%1, %n layer, %2 compressed</numerusform>
            <numerusform>%1, %n layers, %2 compressed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::ImagesPage</name>
    <message numerus="yes">
        <source>Remove these %n image names?</source>
        <translation>
            <numerusform>Remove this image name?</numerusform>
            <numerusform>Remove these %n image names?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Removed %n image(s), %1 freed.</source>
        <translation>
            <numerusform>Removed %n image, %1 freed.</numerusform>
            <numerusform>Removed %n images, %1 freed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Show the Container(s)</source>
        <translation>
            <numerusform>Show the Container</numerusform>
            <numerusform>Show the Containers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image tag(s) can be updated: select them and choose Update.</source>
        <translation>
            <numerusform>%n image tag can be updated: select them and choose Update.</numerusform>
            <numerusform>%n image tags can be updated: select them and choose Update.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pulling %n update(s); the Transfers panel shows the progress.</source>
        <translation>
            <numerusform>Pulling %n update; the Transfers panel shows the progress.</numerusform>
            <numerusform>Pulling %n updates; the Transfers panel shows the progress.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::LocalImagesModel</name>
    <message numerus="yes">
        <source>Used by the container(s) %1</source>
        <translation>
            <numerusform>Used by the container %1</numerusform>
            <numerusform>Used by the containers %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::MainWindow</name>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n image</numerusform>
            <numerusform>%n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n container(s)</source>
        <translation>
            <numerusform>%n container</numerusform>
            <numerusform>%n containers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n transfer(s) running</source>
        <translation>
            <numerusform>%n transfer running</numerusform>
            <numerusform>%n transfers running</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::PullDialog</name>
    <message numerus="yes">
        <source>%n pull(s) remaining.</source>
        <translation>
            <numerusform>%n pull remaining.</numerusform>
            <numerusform>%n pulls remaining.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 counts the index and each of its %n platform manifest(s) as a pull.</source>
        <translation>
            <numerusform>%1 counts the index and each of its %n platform manifest as a pull.</numerusform>
            <numerusform>%1 counts the index and each of its %n platform manifests as a pull.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This pull counts as %1 of your %n remaining pull(s).</source>
        <translation>
            <numerusform>This pull counts as %1 of your %n remaining pull.</numerusform>
            <numerusform>This pull counts as %1 of your %n remaining pulls.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This pull counts as %1 pulls, more than the %n pull(s) remaining: the registry would refuse it part way.</source>
        <translation>
            <numerusform>This pull counts as %1 pulls, more than the %n pull remaining: the registry would refuse it part way.</numerusform>
            <numerusform>This pull counts as %1 pulls, more than the %n pulls remaining: the registry would refuse it part way.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This pull counts as %n pull(s).</source>
        <translation>
            <numerusform>This pull counts as %n pull.</numerusform>
            <numerusform>This pull counts as %n pulls.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::PullLimitIndicator</name>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n hour</numerusform>
            <numerusform>%n hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n second</numerusform>
            <numerusform>%n seconds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 allows %n pull(s) per %2 (%3 seconds).</source>
        <translation>
            <numerusform>%1 allows %n pull per %2 (%3 seconds).</numerusform>
            <numerusform>%1 allows %n pulls per %2 (%3 seconds).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 allows %n pull(s).</source>
        <translation>
            <numerusform>%1 allows %n pull.</numerusform>
            <numerusform>%1 allows %n pulls.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pull(s) remaining.</source>
        <translation>
            <numerusform>%n pull remaining.</numerusform>
            <numerusform>%n pulls remaining.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::RegistriesConfModel</name>
    <message numerus="yes">
        <source>Read %1; none configures a mirror, an insecure or blocked registry, or search registries.</source>
        <translation>
            <numerusform>Read %1; it configures no mirror, no insecure or blocked registry, and no search registries.</numerusform>
            <numerusform>Read %1; none configures a mirror, an insecure or blocked registry, or search registries.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::RegistryClient</name>
    <message numerus="yes">
        <source>%1 Berth tried the upload %n time(s).</source>
        <translation>
            <numerusform>%1 Berth tried the upload once.</numerusform>
            <numerusform>%1 Berth tried the upload %n times.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::RegistryTransport</name>
    <message numerus="yes">
        <source>%1 is rate limiting requests; try again in %n second(s).</source>
        <translation>
            <numerusform>%1 is rate limiting requests; try again in %n second.</numerusform>
            <numerusform>%1 is rate limiting requests; try again in %n seconds.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 did not finish answering the request for %2 within %n second(s); Berth gave up. The registry or the network is too slow: try again later.</source>
        <translation>
            <numerusform>%1 did not finish answering the request for %2 within %n second; Berth gave up. The registry or the network is too slow: try again later.</numerusform>
            <numerusform>%1 did not finish answering the request for %2 within %n seconds; Berth gave up. The registry or the network is too slow: try again later.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The transfer of %2 with %1 moved less than %3 bytes a second for %n second(s); Berth gave up. The registry or the network is too slow: try again later.</source>
        <translation>
            <numerusform>The transfer of %2 with %1 moved less than %3 bytes a second for %n second; Berth gave up. The registry or the network is too slow: try again later.</numerusform>
            <numerusform>The transfer of %2 with %1 moved less than %3 bytes a second for %n seconds; Berth gave up. The registry or the network is too slow: try again later.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::RemoveTagDialog</name>
    <message numerus="yes">
        <source>Only %1 goes. The image stays, and its other %n tag(s) keep working: %2.</source>
        <translation>
            <numerusform>Only %1 goes. The image stays, and its other %n tag keep working: %2.</numerusform>
            <numerusform>Only %1 goes. The image stays, and its other %n tags keep working: %2.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::ShareCombinePage</name>
    <message numerus="yes">
        <source>%n platform(s) in one image.</source>
        <translation>
            <numerusform>%n platform in one image.</numerusform>
            <numerusform>%n platforms in one image.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::ShareProgressPage</name>
    <message numerus="yes">
        <source>Saving %n images to %1</source>
        <translation>
            <numerusform>Saving %n image to %1</numerusform>
            <numerusform>Saving %n images to %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pushing %n images to %1</source>
        <translation>
            <numerusform>Pushing %n image to %1</numerusform>
            <numerusform>Pushing %n images to %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) pushed to %1.</source>
        <translation>
            <numerusform>%n image pushed to %1.</numerusform>
            <numerusform>%n images pushed to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Combining %n image(s) into %1</source>
        <translation>
            <numerusform>Combining %n image into %1</numerusform>
            <numerusform>Combining %n images into %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::TagCompareView</name>
    <message numerus="yes">
        <source>%n variable(s)</source>
        <translation>
            <numerusform>%n variable</numerusform>
            <numerusform>%n variables</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n port(s)</source>
        <translation>
            <numerusform>%n port</numerusform>
            <numerusform>%n ports</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n label(s)</source>
        <translation>
            <numerusform>%n label</numerusform>
            <numerusform>%n labels</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>On %1, %2 and %3 share %n layer(s) (%4).</source>
        <translation>
            <numerusform>On %1, %2 and %3 share %n layer (%4).</numerusform>
            <numerusform>On %1, %2 and %3 share %n layers (%4).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n setting(s) differ.</source>
        <translation>
            <numerusform>%n setting differs.</numerusform>
            <numerusform>%n settings differ.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::TagFilesComparer</name>
    <message numerus="yes">
        <source>%n added</source>
        <translation>
            <numerusform>%n added</numerusform>
            <numerusform>%n added</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n changed</source>
        <translation>
            <numerusform>%n changed</numerusform>
            <numerusform>%n changed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n deleted</source>
        <translation>
            <numerusform>%n deleted</numerusform>
            <numerusform>%n deleted</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::TagGroupsView</name>
    <message numerus="yes">
        <source>%n tag(s)</source>
        <translation>
            <numerusform>%n tag</numerusform>
            <numerusform>%n tags</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n image</numerusform>
            <numerusform>%n images</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n image(s) match, of %1</source>
        <translation>
            <numerusform>%n image matches, of %1</numerusform>
            <numerusform>%n images match, of %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::TransferIndicator</name>
    <message numerus="yes">
        <source>%n transfer(s) running</source>
        <translation>
            <numerusform>%n transfer running</numerusform>
            <numerusform>%n transfers running</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n transfer(s) failed</source>
        <translation>
            <numerusform>%n transfer failed</numerusform>
            <numerusform>%n transfers failed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::TransferManager</name>
    <message numerus="yes">
        <source>Downloaded %n layer(s), %1</source>
        <translation>
            <numerusform>Downloaded %n layer, %1</numerusform>
            <numerusform>Downloaded %n layers, %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Uploaded %n layer(s), %1</source>
        <translation>
            <numerusform>Uploaded %n layer, %1</numerusform>
            <numerusform>Uploaded %n layers, %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Save %n image(s) to %1</source>
        <translation>
            <numerusform>Save %n image to %1</numerusform>
            <numerusform>Save %n images to %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n path(s)</source>
        <translation>
            <numerusform>%n path</numerusform>
            <numerusform>%n paths</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1, %n layer(s) indexed (%2 read)</source>
        <translation>
            <numerusform>%1, %n layer indexed (%2 read)</numerusform>
            <numerusform>%1, %n layers indexed (%2 read)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pushed %1 (%n platform(s)) as %2</source>
        <translation>
            <numerusform>Pushed %1 (%n platform) as %2</numerusform>
            <numerusform>Pushed %1 (%n platforms) as %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleted the image and its %n tag(s)</source>
        <translation>
            <numerusform>Deleted the image and its %n tag</numerusform>
            <numerusform>Deleted the image and its %n tags</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Removed %1; %n other tag(s) still point at the image</source>
        <translation>
            <numerusform>Removed %1; %n other tag still point at the image</numerusform>
            <numerusform>Removed %1; %n other tags still point at the image</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %n blob(s), %1</source>
        <translation>
            <numerusform>Copied %n blob, %1</numerusform>
            <numerusform>Copied %n blobs, %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1; %n already there or mounted</source>
        <translation>
            <numerusform>%1; %n already there or mounted</numerusform>
            <numerusform>%1; %n already there or mounted</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Berth::TransfersDock</name>
    <message numerus="yes">
        <source>Transfers (%n active)</source>
        <translation>
            <numerusform>Transfers (%n active)</numerusform>
            <numerusform>Transfers (%n active)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ErrorAdvice</name>
    <message numerus="yes">
        <source>%1 is used by the container(s) %2, so it was not removed.</source>
        <translation>
            <numerusform>%1 is used by the container %2, so it was not removed.</numerusform>
            <numerusform>%1 is used by the containers %2, so it was not removed.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Wait %n minute(s), or log in to %1 to raise the limit, then try again.</source>
        <translation>
            <numerusform>Wait %n minute, or log in to %1 to raise the limit, then try again.</numerusform>
            <numerusform>Wait %n minutes, or log in to %1 to raise the limit, then try again.</numerusform>
        </translation>
    </message>
</context>
</TS>
