package io.logflow.demo;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the demo's topic if it is missing (brokers started by LogFlow do not auto-create topics). */
final class Topics {
    private Topics() {}

    static void ensure(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(DemoService.ORDERS_TOPIC, 3, (short) 1)))
                    .all()
                    .get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException))
                throw new IllegalStateException("cannot create " + DemoService.ORDERS_TOPIC, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create " + DemoService.ORDERS_TOPIC + " on " + bootstrapServers, e);
        }
    }
}
